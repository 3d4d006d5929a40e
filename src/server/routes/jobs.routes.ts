import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AutoVoiceError } from '../../errors/index.js';
import type { JobRecord, JobState } from '../../storage/job-record.js';
import { PUBLIC_JOB_TYPES } from '../../jobs/job-types.js';
import { canSee, ownerFilter } from '../plugins/auth.plugin.js';
import { AudioFormat, COMMON_ERRORS, IdParams, PageQuery, errorResponses } from '../schemas/common.schema.js';
import { JobStateSchema } from '../schemas/job.schema.js';
import { sendAudioBlob } from '../services/audio-reply.js';
import { toJobView } from '../services/job-view.js';
import type { RouteOptions } from '../route-options.js';
import type { ServerDeps } from '../server-deps.js';

/** The job if the caller may see it; job.not_found otherwise (no hint that it exists). */
export function visibleJob(request: FastifyRequest, deps: ServerDeps, id: string): JobRecord {
  const job = deps.jobs.mustGet(id);
  if (!canSee(request, job.ownerKeyId)) throw new AutoVoiceError('job.not_found', `No job "${id}"; list jobs with GET /api/v1/jobs.`, { jobId: id });
  return job;
}

const JobList = Type.Object({ items: Type.Array(Type.Ref('Job')), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/** Jobs: list, show, cancel, download results, delete. */
export const jobsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'List jobs (newest first), filtered by state and type.',
        querystring: Type.Object({ state: Type.Optional(JobStateSchema), type: Type.Optional(Type.Union(PUBLIC_JOB_TYPES.map((t) => Type.Literal(t)))), ...PageQuery }),
        response: { 200: JobList, ...errorResponses(...COMMON_ERRORS) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const owner = ownerFilter(request);
      const { items, total } = deps.jobs.list({
        limit,
        offset,
        ...(request.query.state === undefined ? {} : { state: request.query.state as JobState }),
        ...(request.query.type === undefined ? {} : { type: request.query.type }),
        ...(owner === undefined ? {} : { ownerKeyId: owner }),
      });
      return { items: items.map(toJobView), total, limit, offset };
    },
  );

  app.get('/jobs/:id', { schema: { tags: ['jobs'], summary: 'Job state, progress, timings, metrics and result links.', params: IdParams, response: { 200: Type.Ref('Job'), ...errorResponses(...COMMON_ERRORS, 404) } } }, async (request) =>
    toJobView(visibleJob(request, deps, request.params.id)),
  );

  app.post('/jobs/:id/cancel', { schema: { tags: ['jobs'], summary: 'Cancel a queued or running job (stops within a second).', params: IdParams, response: { 200: Type.Ref('Job'), ...errorResponses(...COMMON_ERRORS, 404, 409) } } }, async (request) => {
    visibleJob(request, deps, request.params.id);
    return toJobView(deps.jobs.cancel(request.params.id));
  });

  app.delete('/jobs/:id', { schema: { tags: ['jobs'], summary: 'Delete a job with its uploads and results (cancels it first if active).', params: IdParams, response: { 204: Type.Null(), ...errorResponses(...COMMON_ERRORS, 404) } } }, async (request, reply) => {
    visibleJob(request, deps, request.params.id);
    await deps.jobs.delete(request.params.id);
    return reply.status(204).send(null);
  });

  app.get(
    '/jobs/:id/result',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Download a result (variant main/mix/vocals/…; format transcodes on the fly).',
        params: IdParams,
        querystring: Type.Object({ variant: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), format: Type.Optional(AudioFormat) }),
        response: { 200: Type.String({ format: 'binary', description: 'The audio file.' }), ...errorResponses(...COMMON_ERRORS, 404, 409) },
      },
    },
    async (request, reply) => {
      const job = visibleJob(request, deps, request.params.id);
      if (job.state !== 'succeeded') {
        throw new AutoVoiceError('job.not_finished', `The job is ${job.state}; results exist only for succeeded jobs.`, { state: job.state });
      }
      const outputs = job.result?.outputs ?? {};
      const variants = Object.keys(outputs);
      const variant = request.query.variant ?? (variants.includes('main') ? 'main' : variants[0]);
      const output = variant === undefined ? undefined : outputs[variant];
      if (variant === undefined || output === undefined) {
        throw new AutoVoiceError('request.invalid', `No result variant "${request.query.variant ?? ''}"; this job has: ${variants.join(', ') || 'no outputs'}.`, { variants });
      }
      const format = request.query.format ?? output.format;
      if (format === output.format) return sendAudioBlob(reply as FastifyReply, deps.blobs, output.blobId, format, `${job.id}-${variant}`);
      const transcoded = await deps.jobs.runNow('transcode', { input: output.blobId, format });
      const main = transcoded.outputs.main;
      if (main === undefined) throw new AutoVoiceError('internal.error', 'Transcoding produced no output.');
      return sendAudioBlob(reply as FastifyReply, deps.blobs, main.blobId, format, `${job.id}-${variant}`, true);
    },
  );
};
