import { createHash } from 'node:crypto';
import { Transform, pipeline } from 'node:stream';
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  /** A multipart body that sends no bytes for this long is answered 400 and its connection closed (ms). */
  readonly idleTimeoutMs: number;
}

/**
 * Multipart uploads: each file streams into the blob store (never buffered whole, never named by
 * the client) and its form value becomes the blob id, so route schemas validate the form like
 * JSON. Size and count limits answer 413, a malformed or stalled form 400. Uploads of a failed
 * request are deleted at once; a form still arriving at shutdown is answered 503.
 */
async function uploadsPlugin(app: FastifyInstance, options: UploadsPluginOptions): Promise<void> {
  const { blobs } = options;
  const receiving = new Set<FormWatch>();
  app.decorateRequest('uploads', null as unknown as Map<string, StoredUpload>);
  app.decorateRequest('keptUploads', null as unknown as Set<string>);
  app.decorateRequest('uploadsClosed', false);
  app.addHook('onRequest', async (request) => {
    request.uploads = new Map();
    request.keptUploads = new Set();
  });

  async function storeFile(request: FastifyRequest, part: MultipartFile, signal: AbortSignal): Promise<string | undefined> {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    // pipeline, not pipe: a form that breaks off (no closing boundary, client gone) must fail the
    // write and close the file, not leave it waiting for an end that never comes.
    pipeline(part.file, hashing, () => undefined);
    const abort = (): void => void hashing.destroy(signal.reason as Error);
    signal.addEventListener('abort', abort, { once: true });
    // Registered before writing, so the end-of-request cleanup also covers a half-written file.
    const id = blobs.newId('upload');
    request.uploads.set(id, { blobId: id, sha256: '', bytes: 0 });
    try {
      const stored = await blobs.putStream('upload', hashing, id);
      if (part.file.truncated) {
        await blobs.delete(stored.id);
        throw new AutoVoiceError('request.too_large', `The file "${part.fieldname}" exceeds the upload limit of ${options.maxFileBytes} bytes.`, { limitBytes: options.maxFileBytes });
      }
      if (request.uploadsClosed) {
        await blobs.delete(id);
        return undefined;
      }
      request.uploads.set(id, { blobId: id, sha256: hash.digest('hex'), bytes: stored.bytes });
      return id;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  /**
   * Reads the form into `{ field: value | value[] }`, files replaced by their blob ids (the route
   * schema types the values). `abort` stops the file being written and resolves once it is
   * closed and deleted.
   */
  function readForm(request: FastifyRequest): { body: Promise<Record<string, unknown>>; abort(reason: Error): Promise<void> } {
    const controller = new AbortController();
    let writing: Promise<unknown> = Promise.resolve();
    const read = async (): Promise<Record<string, unknown>> => {
      const body: Record<string, unknown> = {};
      for await (const part of request.parts()) {
        let value: unknown = part.value;
        if (part.type === 'file') {
          const stored = storeFile(request, part, controller.signal);
          writing = stored.catch(() => undefined);
          value = await stored;
        }
        if (value === undefined) continue;
        const previous = body[part.fieldname];
        body[part.fieldname] = previous === undefined ? value : Array.isArray(previous) ? [...(previous as unknown[]), value] : [previous, value];
      }
      return body;
    };
    return {
      body: read(),
      abort: async (reason) => {
        controller.abort(reason);
        await writing;
      },
    };
  }

  await app.register(multipart, {
    limits: { fileSize: options.maxFileBytes, files: options.maxFiles, fields: 50, fieldSize: 64 * 1024, parts: options.maxFiles + 50 },
  });

  app.addHook('preValidation', async (request, reply) => {
    if (!request.isMultipart()) return;
    const form = readForm(request);
    // After a stall or shutdown the form settles only when its connection closes; that late
    // failure is nobody's answer any more.
    form.body.catch(() => undefined);
    const watch = watchForm(request, reply, options.idleTimeoutMs);
    receiving.add(watch);
    try {
      request.body = await Promise.race([form.body, watch.failed]);
    } catch (error) {
      // Close and delete the file being written before answering (a no-op when the form failed by itself).
      await form.abort(error as Error);
      throw asFormError(error);
    } finally {
      watch.stop();
      receiving.delete(watch);
    }
  });

  // Shutdown waits for open connections: a form still arriving (however slowly) must not hold it.
  app.addHook('preClose', async () => {
    for (const watch of receiving) watch.fail(new AutoVoiceError('service.unavailable', 'The server is shutting down; send the upload again in a moment.', { retryAfterSeconds: 5 }));
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

/** Watches a form while it arrives: fails it when no bytes come for `idleTimeoutMs`, or on demand (shutdown). */
interface FormWatch {
  readonly failed: Promise<never>;
  fail(error: AutoVoiceError): void;
  stop(): void;
}

function watchForm(request: FastifyRequest, reply: FastifyReply, idleTimeoutMs: number): FormWatch {
  let reject: (error: AutoVoiceError) => void = () => undefined;
  const failed = new Promise<never>((_resolve, rejectWith) => (reject = rejectWith));
  let timer: NodeJS.Timeout | undefined;
  const fail = (error: AutoVoiceError): void => {
    stop();
    // The rest of the body will not be read: close the connection after the answer.
    void reply.header('connection', 'close');
    reject(error);
  };
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => fail(new AutoVoiceError('request.invalid', `The multipart body stalled: no data for ${idleTimeoutMs / 1000} s. Send the whole form without pauses.`, { idleTimeoutMs })), idleTimeoutMs);
  };
  const stop = (): void => {
    clearTimeout(timer);
    request.raw.off('data', arm);
  };
  // Listening to 'data' only observes: the form reader's pipe already set the stream flowing.
  request.raw.on('data', arm);
  if (!request.raw.readableEnded) arm();
  return { failed, fail, stop };
}

/**
 * Errors while reading a form: the plugin's limits (with a status) and disk failures (with a
 * syscall) stay as they are; anything else is the parser refusing the body, the client's fault.
 */
function asFormError(error: unknown): unknown {
  if (error instanceof AutoVoiceError) return error;
  const { statusCode, syscall } = error as { statusCode?: unknown; syscall?: unknown };
  if (typeof statusCode === 'number' || typeof syscall === 'string') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AutoVoiceError('request.invalid', `The multipart body is malformed (${reason}); send multipart/form-data with its boundary parameter and the closing boundary.`, { reason }, { cause: error });
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
