import { randomUUID } from 'node:crypto';
import { createWriteStream, readdirSync, statSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AutoVoiceError } from '../errors/index.js';
import { makeDataFolderSync } from './make-folder.js';

/** What a blob holds: an upload from a client, a job result, or a short-lived temporary. */
export type BlobKind = 'upload' | 'result' | 'tmp';

const BLOB_ID_PATTERN = /^(upload|result|tmp)-[0-9a-f-]{36}$/;

/** True when `id` has the exact shape the store generates (so it can never name another path). */
export function isBlobId(id: string): boolean {
  return BLOB_ID_PATTERN.test(id);
}

/**
 * Local file storage for uploads and results under `<dataDir>/blobs`. Blobs are named by ids the
 * store generates; no client value ever becomes part of a path.
 */
export class BlobStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs');
    makeDataFolderSync(this.root);
  }

  /** A fresh id for a blob of this kind. */
  newId(kind: BlobKind): string {
    return `${kind}-${randomUUID()}`;
  }

  /** Absolute path of a blob; throws for anything that is not a store-generated id. */
  pathOf(id: string): string {
    if (!isBlobId(id)) throw new AutoVoiceError('usage.invalid_argument', `Not a blob id: ${JSON.stringify(id.slice(0, 80))}.`);
    return join(this.root, id);
  }

  /** Stores bytes; returns the new blob id. */
  async putBytes(kind: BlobKind, bytes: Uint8Array): Promise<string> {
    const id = this.newId(kind);
    await writeFile(this.pathOf(id), bytes);
    return id;
  }

  /** Streams into a new blob (id from newId, or a fresh one); returns its id and size. The caller enforces size limits on the stream. */
  async putStream(kind: BlobKind, source: Readable, id = this.newId(kind)): Promise<{ id: string; bytes: number }> {
    const path = this.pathOf(id);
    try {
      await pipeline(source, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { id, bytes: (await stat(path)).size };
  }

  /** Whole blob contents; `job.result_expired` when it is gone. */
  async readBytes(id: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(id)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AutoVoiceError('job.result_expired', 'The stored file has expired and was removed; run the job again.');
      throw error;
    }
  }

  /** The first `length` bytes (content sniffing). */
  async readHead(id: string, length: number): Promise<Uint8Array> {
    const handle = await open(this.pathOf(id), 'r');
    try {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return new Uint8Array(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  }

  /** Size in bytes, or undefined when missing. */
  async sizeOf(id: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(id))).size;
    } catch {
      return undefined;
    }
  }

  /** Removes a blob (missing is fine). */
  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  /** Removes blobs older than `olderThanMs` (epoch ms) that are not in `keep`; returns how many. */
  async sweep(olderThanMs: number, keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of readdirSync(this.root)) {
      if (!isBlobId(name) || keep.has(name)) continue;
      const path = join(this.root, name);
      try {
        if (statSync(path).mtimeMs < olderThanMs) {
          await rm(path, { force: true });
          removed++;
        }
      } catch {
        // Removed concurrently: nothing to do.
      }
    }
    return removed;
  }

  /** True when the store directory accepts writes (readiness probe). */
  async isWritable(): Promise<boolean> {
    const path = join(this.root, `.probe-${process.pid}`);
    try {
      await writeFile(path, 'ok');
      await rm(path, { force: true });
      return true;
    } catch {
      return false;
    }
  }
}
