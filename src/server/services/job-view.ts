import type { JobRecord } from '../../storage/job-record.js';
import type { JobViewData } from '../schemas/job.schema.js';

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The API view of a job: ISO times, real-time factor, and download links per output variant. */
export function toJobView(job: JobRecord): JobViewData {
  const rtf = job.audioSeconds !== null && job.audioSeconds > 0 && job.processingSeconds !== null ? job.processingSeconds / job.audioSeconds : null;
  const results =
    job.state === 'succeeded'
      ? Object.entries(job.result?.outputs ?? {}).map(([variant, output]) => ({
          variant,
          format: output.format,
          bytes: output.bytes,
          durationSeconds: output.durationSeconds ?? null,
          url: `/api/v1/jobs/${job.id}/result?variant=${encodeURIComponent(variant)}`,
        }))
      : [];
  return {
    id: job.id,
    type: job.type,
    state: job.state,
    progress: job.progress,
    stage: job.stage,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    batchId: job.batchId,
    createdAt: new Date(job.createdAt).toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    expiresAt: iso(job.expiresAt),
    audioSeconds: job.audioSeconds,
    processingSeconds: job.processingSeconds,
    realTimeFactor: rtf,
    metrics: (job.result?.metrics as Record<string, unknown> | undefined) ?? null,
    error: job.error === null ? null : { code: job.error.code, message: job.error.message, details: job.error.details ?? {} },
    results,
    ...(job.result?.data === undefined ? {} : { data: job.result.data }),
  };
}
