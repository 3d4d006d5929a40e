import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { detectAudioFormat } from '../../audio/index.js';
import { AutoVoiceError } from '../../errors/index.js';
import type { BlobStore } from '../../storage/blob-store.js';

/** An upload stored in the blob store during this request. */
export interface StoredUpload {
  readonly blobId: string;
  readonly sha256: string;
  readonly bytes: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    uploads: Map<string, StoredUpload>;
    /** Upload blob ids handed to a queued job; every other upload is deleted when the response ends. */
    keptUploads: Set<string>;
    /** Set when the response has ended: an upload still being written then is deleted by its writer. */
    uploadsClosed: boolean;
  }
}

/** Options of the uploads plugin. */
export interface UploadsPluginOptions {
  readonly blobs: BlobStore;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
}

/**
 * Multipart uploads: each file streams into the blob store (never buffered whole, never named by
 * the client) and its form value becomes the blob id, so route schemas validate the form like
 * JSON. Size and count limits answer 413. Uploads of a failed request are deleted at once.
 */
async function uploadsPlugin(app: FastifyInstance, options: UploadsPluginOptions): Promise<void> {
  const { blobs } = options;
  app.decorateRequest('uploads', null as unknown as Map<string, StoredUpload>);
  app.decorateRequest('keptUploads', null as unknown as Set<string>);
  app.decorateRequest('uploadsClosed', false);
  app.addHook('onRequest', async (request) => {
    request.uploads = new Map();
    request.keptUploads = new Set();
  });

  async function onFile(this: FastifyRequest, part: MultipartFile): Promise<void> {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // Registered before writing, so the end-of-request cleanup also covers a half-written file.
    const id = blobs.newId('upload');
    this.uploads.set(id, { blobId: id, sha256: '', bytes: 0 });
    const stored = await blobs.putStream('upload', part.file.pipe(hashing), id);
    if (part.file.truncated) {
      await blobs.delete(stored.id);
      throw new AutoVoiceError('request.too_large', `The file "${part.fieldname}" exceeds the upload limit of ${options.maxFileBytes} bytes.`, { limitBytes: options.maxFileBytes });
    }
    if (this.uploadsClosed) {
      await blobs.delete(id);
      return;
    }
    this.uploads.set(id, { blobId: id, sha256: hash.digest('hex'), bytes: stored.bytes });
    (part as unknown as { value: string }).value = id;
  }

  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    onFile,
    limits: { fileSize: options.maxFileBytes, files: options.maxFiles, fields: 50, fieldSize: 64 * 1024, parts: options.maxFiles + 50 },
  });

  // onSend (not onResponse): the files are gone before the client sees the answer.
  app.addHook('onSend', async (request, reply) => {
    request.uploadsClosed = true;
    // Requests refused before this plugin's onRequest hook (auth) have no uploads.
    if (request.uploads === null) return;
    const keep = reply.statusCode < 400 ? request.keptUploads : new Set<string>();
    const discard = [...request.uploads.keys()].filter((id) => !keep.has(id));
    await Promise.all(discard.map((id) => blobs.delete(id)));
    for (const id of discard) request.uploads.delete(id);
  });
}

/** Marks uploads as owned by a queued job (kept after the response). */
export function keepUploads(request: FastifyRequest, blobIds: readonly string[]): void {
  for (const id of blobIds) request.keptUploads.add(id);
}

/** Looks at the first bytes of an uploaded file; 415 audio.unsupported_format unless it is audio we decode. */
export async function assertAudioUpload(blobs: BlobStore, blobId: string, field: string): Promise<void> {
  const head = await blobs.readHead(blobId, 64 * 1024);
  if (head.length === 0) throw new AutoVoiceError('audio.empty', `The file in "${field}" is empty.`);
  const detected = detectAudioFormat(head);
  if (detected.container === undefined) {
    throw new AutoVoiceError('audio.unsupported_format', `The file in "${field}" is not audio AutoVoice decodes (${detected.description}); send WAV, MP3, FLAC, Ogg or M4A.`, { field });
  }
}

/** The blob id in a form field, checked to be an upload of this request (not a value a client typed). */
export function uploadedBlob(request: FastifyRequest, value: unknown, field: string): string {
  if (typeof value !== 'string' || !request.uploads.has(value)) {
    throw new AutoVoiceError('request.invalid', `The form field "${field}" must be a file upload.`, { field });
  }
  return value;
}

export default fp(uploadsPlugin, { name: 'autovoice-uploads' });
