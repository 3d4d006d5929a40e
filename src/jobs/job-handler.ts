import type { JobContext } from './job-context.js';
import type { JobPayloads, JobType } from './job-types.js';
import type { JobOutput } from '../storage/job-record.js';

/** What a handler returns: named outputs in the blob store, metrics, optional data, seconds of audio processed. */
export interface JobOutcome {
  readonly outputs: Readonly<Record<string, JobOutput>>;
  readonly metrics?: Readonly<Record<string, unknown>>;
  readonly data?: unknown;
  readonly audioSeconds?: number;
}

/** Runs one job type inside a worker thread: calls the pipeline, stores outputs, reports progress. Throws AutoVoiceError. */
export type JobHandler<K extends JobType> = (payload: JobPayloads[K], ctx: JobContext) => Promise<JobOutcome>;
