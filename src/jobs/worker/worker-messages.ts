import type { JobErrorData } from '../../storage/job-record.js';
import type { JobOutcome } from '../job-handler.js';
import type { JobLimits } from '../job-context.js';

/** Data a worker thread starts with (workerData). */
export interface WorkerInit {
  readonly dataDir: string;
  readonly limits: JobLimits;
  /** Where ONNX models run in this worker (from the validated config). */
  readonly onnxExecution: 'auto' | 'cpu' | 'cuda';
}

/** Main thread → worker. */
export type ToWorkerMessage =
  | { readonly kind: 'run'; readonly taskId: number; readonly type: string; readonly payload: unknown }
  | { readonly kind: 'cancel'; readonly taskId: number };

/** Worker → main thread. */
export type FromWorkerMessage =
  | { readonly kind: 'ready'; readonly available: Readonly<Record<string, boolean>> }
  | { readonly kind: 'init-failed'; readonly error: JobErrorData }
  | { readonly kind: 'progress'; readonly taskId: number; readonly stage: string; readonly fraction: number }
  | { readonly kind: 'chunk'; readonly taskId: number; readonly bytes: Uint8Array }
  | { readonly kind: 'log'; readonly taskId: number; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly message: string; readonly fields?: Record<string, unknown> }
  | { readonly kind: 'done'; readonly taskId: number; readonly outcome: JobOutcome }
  | { readonly kind: 'failed'; readonly taskId: number; readonly error: JobErrorData };
