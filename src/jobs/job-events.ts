import type { JobRecord } from '../storage/job-record.js';

/** Events the job service emits (WebSocket fan-out, metrics). */
export interface JobEventMap {
  /** A job was accepted into the queue. */
  queued: [job: JobRecord];
  /** A worker started the job (attempt counted). */
  started: [job: JobRecord];
  /** Progress of a running job (throttled). */
  progress: [job: { id: string; type: string; batchId: string | null; ownerKeyId: string | null }, stage: string, fraction: number];
  /** A named stage of a running job ended after `seconds`. */
  stage: [type: string, stage: string, seconds: number];
  /** The job reached a final state. */
  finished: [job: JobRecord];
}
