import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import type { BlobStore } from '../../storage/blob-store.js';

/** MIME type per output format. */
export const AUDIO_MIME: Readonly<Record<string, string>> = { wav: 'audio/wav', mp3: 'audio/mpeg', flac: 'audio/flac' };

/** Sends a stored audio blob as a download; `deleteAfter` removes it once sent (temporary transcodes). */
export async function sendAudioBlob(reply: FastifyReply, blobs: BlobStore, blobId: string, format: string, fileName: string, deleteAfter = false): Promise<FastifyReply> {
  const size = await blobs.sizeOf(blobId);
  if (size === undefined) {
    // Surfaces job.result_expired.
    await blobs.readBytes(blobId);
  }
  const stream = createReadStream(blobs.pathOf(blobId));
  if (deleteAfter) stream.on('close', () => void blobs.delete(blobId));
  return reply
    .type(AUDIO_MIME[format] ?? 'application/octet-stream')
    .header('content-length', String(size))
    .header('content-disposition', `attachment; filename="${fileName}.${format}"`)
    .send(stream);
}
