import { randomUUID } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import yazl from 'yazl';
import { AutoVoiceError } from '../../errors/index.js';
import type { BatchRecord } from '../../storage/batch.repository.js';
import type { JobRecord } from '../../storage/job-record.js';
import { canSee } from '../plugins/auth.plugin.js';
import { assertAudioUpload, keepUploads, uploadedBlob } from '../plugins/uploads.plugin.js';
import { COMMON_ERRORS, IdParams, errorResponses, parsePitch } from '../schemas/common.schema.js';
import { BatchBody, BatchView } from '../schemas/work.schema.js';
import { assertFeatureAvailable } from '../services/feature-check.js';
import { withIdempotency } from '../services/idempotency.js';
import { toJobView } from '../services/job-view.js';
import { resolveVoiceId } from '../services/resolve-voice.js';
import type { RouteOptions } from '../route-options.js';
import type { ServerDeps } from '../server-deps.js';

function visibleBatch(request: FastifyRequest, deps: ServerDeps, id: string): BatchRecord {
  const batch = deps.batches.get(id);
  if (batch === undefined || !canSee(request, batch.ownerKeyId)) throw new AutoVoiceError('batch.not_found', `No batch "${id}".`, { batchId: id });
  return batch;
}

function batchItems(deps: ServerDeps, id: string): JobRecord[] {
  return deps.jobs.list({ batchId: id, limit: 100_000, offset: 0 }).items.reverse();
}

/** Aggregate view: overall state, mean progress, counts per state, items. */
function batchView(batch: BatchRecord, items: JobRecord[]): unknown {
  const counts: Record<string, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const item of items) counts[item.state] = (counts[item.state] ?? 0) + 1;
  const active = (counts.queued ?? 0) + (counts.running ?? 0);
  const state =
    active > 0 ? ((counts.running ?? 0) > 0 || (counts.succeeded ?? 0) > 0 ? 'running' : 'queued')
    : counts.succeeded === items.length ? 'succeeded'
    : counts.failed === items.length ? 'failed'
    : counts.cancelled === items.length ? 'cancelled'
    : 'partial';
  const progress = items.length === 0 ? 0 : items.reduce((sum, item) => sum + (item.state === 'succeeded' ? 1 : item.progress), 0) / items.length;
  return { id: batch.id, jobType: batch.jobType, createdAt: new Date(batch.createdAt).toISOString(), state, progress, counts, items: items.map(toJobView), resultUrl: `/api/v1/batch/${batch.id}/result` };
}

/** Batches: many files, one voice and options → child conversion jobs; aggregate status; results as a zip. */
export const batchRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/batch',
    {
      schema: {
        tags: ['batch'],
        summary: 'Convert many files into one voice (multipart: files, voice, options) → a batch of jobs. Accepts Idempotency-Key.',
        consumes: ['multipart/form-data'],
        body: BatchBody,
        response: { 202: BatchView, ...errorResponses(...COMMON_ERRORS, 404, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      await withIdempotency(request, reply as FastifyReply, deps.idempotency, async () => {
        assertFeatureAvailable(deps, 'convert', 'Voice conversion');
        const inputs = request.body.files.map((f, i) => uploadedBlob(request, f, `files[${i}]`));
        for (const [i, id] of inputs.entries()) await assertAudioUpload(deps.blobs, id, `files[${i}]`);
        const voice = await resolveVoiceId(request, deps, request.body.voice);
        deps.jobs.assertAccepting(inputs.length);
        const batch: BatchRecord = { id: randomUUID(), ownerKeyId: request.auth.keyId, jobType: 'convert', createdAt: Date.now() };
        deps.batches.insert(batch);
        for (const input of inputs) {
          deps.jobs.enqueue(
            'convert',
            { input, voice, mode: request.body.mode ?? 'speech', pitch: parsePitch(request.body.pitch), format: request.body.format ?? 'wav' },
            { ownerKeyId: request.auth.keyId, requestId: request.id, batchId: batch.id, inputBlobs: [input] },
          );
        }
        keepUploads(request, inputs);
        return { status: 202, body: batchView(batch, batchItems(deps, batch.id)) };
      });
    },
  );

  app.get('/batch/:id', { schema: { tags: ['batch'], summary: 'Batch progress and per-item state.', params: IdParams, response: { 200: BatchView, ...errorResponses(...COMMON_ERRORS, 404) } } }, async (request) => {
    const batch = visibleBatch(request, deps, request.params.id);
    return batchView(batch, batchItems(deps, batch.id)) as never;
  });

  app.get(
    '/batch/:id/result',
    { schema: { tags: ['batch'], summary: 'Zip of the main result of every succeeded item (files named by position and job id).', params: IdParams, response: { 200: Type.String({ format: 'binary' }), ...errorResponses(...COMMON_ERRORS, 404, 409) } } },
    async (request, reply) => {
      const batch = visibleBatch(request, deps, request.params.id);
      const items = batchItems(deps, batch.id);
      const done = items.filter((item) => item.state === 'succeeded');
      if (done.length === 0) throw new AutoVoiceError('job.not_finished', 'No item of this batch has succeeded yet; poll GET /batch/{id}.', { batchId: batch.id });
      // Every file is opened before the answer starts: a job deleted or expired mid-download then
      // only unlinks a name, and the open handle still reads. A file already gone is left out.
      const entries: { handle: FileHandle; name: string; size: number }[] = [];
      try {
        for (const [index, item] of items.entries()) {
          const output = item.state === 'succeeded' ? (item.result?.outputs.main ?? Object.values(item.result?.outputs ?? {})[0]) : undefined;
          if (output === undefined) continue;
          const handle = await openIfPresent(deps.blobs.pathOf(output.blobId));
          if (handle === undefined) continue;
          entries.push({ handle, name: `${String(index + 1).padStart(3, '0')}-${item.id}.${output.format}`, size: (await handle.stat()).size });
        }
      } catch (error) {
        await Promise.all(entries.map((e) => e.handle.close()));
        throw error;
      }
      if (entries.length === 0) throw new AutoVoiceError('job.result_expired', 'The results of this batch have expired and were removed; run it again.', { batchId: batch.id });
      const zip = new yazl.ZipFile();
      const download = zip.outputStream as Readable;
      // A read failing mid-stream ends this download, never the process (an unhandled 'error' would).
      zip.on('error', (error: Error) => download.destroy(error));
      // However the download ends (finished, client gone), no handle stays open.
      download.once('close', () => {
        for (const { handle } of entries) void handle.close().catch(() => undefined);
      });
      for (const { handle, name, size } of entries) {
        // Audio is already compressed or small: store, do not deflate (saves CPU).
        zip.addReadStream(handle.createReadStream(), name, { compress: false, size });
      }
      zip.end();
      return (reply as FastifyReply).type('application/zip').header('content-disposition', `attachment; filename="batch-${batch.id}.zip"`).send(download);
    },
  );
};

/** The file opened for reading, or undefined when it no longer exists. */
async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
