// Entry point of a job worker thread: loads every handler (the start-up check), then runs one
// task at a time, forwarding progress, chunks and logs to the main thread.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { toAutoVoiceError } from '../../errors/index.js';
import { BlobStore } from '../../storage/blob-store.js';
import { configureOnnxExecution } from '../../models/onnx-session.adapter.js';
import { configureDefaultTtsRegistry } from '../../tts/tts-registry.js';
import type { JobHandler } from '../job-handler.js';
import { JOB_HANDLER_MODULES, JOB_TYPES, isJobType, type JobType } from '../job-types.js';
import type { JobContext } from '../job-context.js';
import type { FromWorkerMessage, ToWorkerMessage, WorkerInit } from './worker-messages.js';

const port = parentPort;
if (port === null) throw new Error('job-worker must run in a worker thread');
const init = workerData as WorkerInit;
configureOnnxExecution(init.onnxExecution);
configureDefaultTtsRegistry({ piperVoiceDirs: [join(init.dataDir, 'piper')] });
const blobs = new BlobStore(init.dataDir);
const handlers = new Map<JobType, JobHandler<JobType>>();
const running = new Map<number, AbortController>();

function send(message: FromWorkerMessage, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

async function loadHandlers(): Promise<Record<string, boolean>> {
  const available: Record<string, boolean> = {};
  for (const type of JOB_TYPES) {
    const module = await JOB_HANDLER_MODULES[type]();
    if (typeof module.handler !== 'function') throw new Error(`job type "${type}" has no handler function`);
    handlers.set(type, module.handler as JobHandler<JobType>);
    available[type] = module.available;
  }
  return available;
}

async function runTask(taskId: number, type: string, payload: unknown): Promise<void> {
  const controller = new AbortController();
  running.set(taskId, controller);
  try {
    const handler = isJobType(type) ? handlers.get(type) : undefined;
    if (handler === undefined) throw new Error(`no handler for job type "${type}"`);
    const ctx: JobContext = {
      signal: controller.signal,
      dataDir: init.dataDir,
      blobs,
      limits: init.limits,
      progress: (stage, fraction) => send({ kind: 'progress', taskId, stage, fraction: Math.min(1, Math.max(0, fraction)) }),
      emitChunk: (bytes) => {
        const copy = bytes.slice();
        send({ kind: 'chunk', taskId, bytes: copy }, [copy.buffer as ArrayBuffer]);
      },
      log: (level, message, fields) => send({ kind: 'log', taskId, level, message, ...(fields === undefined ? {} : { fields }) }),
    };
    const outcome = await handler(payload as never, ctx);
    send({ kind: 'done', taskId, outcome });
  } catch (error) {
    const avError = toAutoVoiceError(controller.signal.aborted ? (error ?? new Error('aborted')) : error);
    const code = controller.signal.aborted && avError.code === 'internal.error' ? 'operation.cancelled' : avError.code;
    send({ kind: 'failed', taskId, error: { code, message: avError.message, ...(avError.details === undefined ? {} : { details: avError.details }) } });
  } finally {
    running.delete(taskId);
  }
}

port.on('message', (message: ToWorkerMessage) => {
  if (message.kind === 'run') void runTask(message.taskId, message.type, message.payload);
  else running.get(message.taskId)?.abort();
});

loadHandlers().then(
  (available) => send({ kind: 'ready', available }),
  (error: unknown) => {
    const avError = toAutoVoiceError(error);
    send({ kind: 'init-failed', error: { code: avError.code, message: avError.message } });
  },
);
