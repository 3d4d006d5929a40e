import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { assertAudioUpload, keepUploads, uploadedBlob } from '../plugins/uploads.plugin.js';
import { COMMON_ERRORS, errorResponses, parsePitch } from '../schemas/common.schema.js';
import { JobAccepted } from '../schemas/job.schema.js';
import { ConvertBody, SongBody } from '../schemas/work.schema.js';
import { assertFeatureAvailable } from '../services/feature-check.js';
import { withIdempotency } from '../services/idempotency.js';
import { toJobView } from '../services/job-view.js';
import { resolveVoiceId } from '../services/resolve-voice.js';
import type { RouteOptions } from '../route-options.js';

const jobErrors = errorResponses(...COMMON_ERRORS, 404, 409, 413, 415, 422, 503);

/** POST /convert (speech/singing conversion) and POST /convert/song (separate → convert → remix, with stems). */
export const convertRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/convert',
    {
      schema: {
        tags: ['work'],
        summary: 'Convert a recording into a voice (job). Accepts Idempotency-Key.',
        consumes: ['multipart/form-data'],
        body: ConvertBody,
        response: { 202: JobAccepted, ...jobErrors },
      },
    },
    async (request, reply) => {
      await withIdempotency(request, reply as FastifyReply, deps.idempotency, async () => {
        assertFeatureAvailable(deps, 'convert', 'Voice conversion');
        const input = uploadedBlob(request, request.body.file, 'file');
        await assertAudioUpload(deps.blobs, input, 'file');
        const voice = await resolveVoiceId(request, deps, request.body.voice);
        const job = deps.jobs.enqueue(
          'convert',
          { input, voice, mode: request.body.mode ?? 'speech', pitch: parsePitch(request.body.pitch), format: request.body.format ?? 'wav' },
          { ownerKeyId: request.auth.keyId, requestId: request.id, inputBlobs: [input] },
        );
        keepUploads(request, [input]);
        return { status: 202, body: { job: toJobView(job) } };
      });
    },
  );

  app.post(
    '/convert/song',
    {
      schema: {
        tags: ['work'],
        summary: 'Convert a whole song into a voice (job); results: mix, vocals, original_vocals, accompaniment.',
        consumes: ['multipart/form-data'],
        body: SongBody,
        response: { 202: JobAccepted, ...jobErrors },
      },
    },
    async (request, reply) => {
      await withIdempotency(request, reply as FastifyReply, deps.idempotency, async () => {
        assertFeatureAvailable(deps, 'song', 'Song conversion');
        const input = uploadedBlob(request, request.body.file, 'file');
        await assertAudioUpload(deps.blobs, input, 'file');
        const voice = await resolveVoiceId(request, deps, request.body.voice);
        const job = deps.jobs.enqueue(
          'song',
          {
            input,
            voice,
            pitch: parsePitch(request.body.pitch),
            vocalGainDb: request.body.vocalGainDb ?? 0,
            accompanimentGainDb: request.body.accompanimentGainDb ?? 0,
            separationEngine: 'dsp',
            format: request.body.format ?? 'wav',
          },
          { ownerKeyId: request.auth.keyId, requestId: request.id, inputBlobs: [input] },
        );
        keepUploads(request, [input]);
        return { status: 202, body: { job: toJobView(job) } };
      });
    },
  );
};
