import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { assertAudioUpload, keepUploads, uploadedBlob } from '../plugins/uploads.plugin.js';
import { COMMON_ERRORS, errorResponses } from '../schemas/common.schema.js';
import { JobAccepted } from '../schemas/job.schema.js';
import { TransformBody } from '../schemas/work.schema.js';
import { assertFeatureAvailable } from '../services/feature-check.js';
import { withIdempotency } from '../services/idempotency.js';
import { toJobView } from '../services/job-view.js';
import type { RouteOptions } from '../route-options.js';

const jobErrors = errorResponses(...COMMON_ERRORS, 409, 413, 415, 422, 503);

/** POST /transform: voice edits (pitch with formants kept, formants, tilt, breathiness, tempo) as a job. */
export const transformRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/transform',
    {
      schema: {
        tags: ['work'],
        summary:
          'Edit a voice: pitch (formants kept), formants, tilt, breathiness, tempo (job). Accepts Idempotency-Key.',
        consumes: ['multipart/form-data'],
        body: TransformBody,
        response: { 202: JobAccepted, ...jobErrors },
      },
    },
    async (request, reply) => {
      await withIdempotency(request, reply as FastifyReply, deps.idempotency, async () => {
        assertFeatureAvailable(deps, 'transform', 'Voice transforms');
        const input = uploadedBlob(request, request.body.file, 'file');
        await assertAudioUpload(deps.blobs, input, 'file');
        const body = request.body;
        const job = deps.jobs.enqueue(
          'transform',
          {
            input,
            semitones: body.semitones ?? 0,
            formantFactor: body.formantFactor ?? 1,
            tiltDbPerOctave: body.tiltDbPerOctave ?? 0,
            breathiness: body.breathiness ?? 1,
            stretch: body.stretch ?? 1,
            refine: body.refine ?? false,
            format: body.format ?? 'wav',
          },
          { ownerKeyId: request.auth.keyId, requestId: request.id, inputBlobs: [input] },
        );
        keepUploads(request, [input]);
        return { status: 202, body: { job: toJobView(job) } };
      });
    },
  );
};
