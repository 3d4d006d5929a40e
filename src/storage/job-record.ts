/** Lifecycle states of a job. `queued` and `running` are active; the rest are final. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** The final states: a job in one of these never changes again. */
export const FINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** One stored output of a job (an encoded audio file in the blob store). */
export interface JobOutput {
  readonly blobId: string;
  readonly format: string;
  readonly bytes: number;
  readonly durationSeconds?: number;
}

/** What a finished job produced: named outputs (variants), metrics and optional extra data. */
export interface JobResultData {
  readonly outputs: Readonly<Record<string, JobOutput>>;
  readonly metrics?: Readonly<Record<string, unknown>>;
  readonly data?: unknown;
}

/** The error a failed job reports. */
export interface JobErrorData {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A job as stored. Times are Unix epoch milliseconds. */
export interface JobRecord {
  readonly id: string;
  readonly type: string;
  readonly state: JobState;
  readonly payload: unknown;
  readonly ownerKeyId: string | null;
  readonly batchId: string | null;
  readonly requestId: string | null;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly progress: number;
  readonly stage: string | null;
  readonly cancelRequested: boolean;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly expiresAt: number | null;
  readonly error: JobErrorData | null;
  readonly result: JobResultData | null;
  /** Blob ids of uploads this job reads (removed with the job). */
  readonly inputBlobs: readonly string[];
  readonly audioSeconds: number | null;
  readonly processingSeconds: number | null;
}
