import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { AutoVoiceError } from '../../errors/index.js';
import type { JobOutcome } from '../job-handler.js';
import type { FromWorkerMessage, ToWorkerMessage, WorkerInit } from './worker-messages.js';

/** Callbacks and cancellation for one task run on the pool. */
export interface TaskOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: string, fraction: number) => void;
  readonly onChunk?: (bytes: Uint8Array) => void;
  readonly onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** Options of WorkerPool.start. */
export interface WorkerPoolOptions {
  readonly size: number;
  readonly init: WorkerInit;
  /** After an abort, a task still running after this long has its worker terminated. */
  readonly cancelGraceMs: number;
  /** Tasks waiting for a worker before run() refuses with queue.full. */
  readonly maxPending: number;
}

interface Task {
  readonly id: number;
  readonly type: string;
  readonly payload: unknown;
  readonly options: TaskOptions;
  resolve(outcome: JobOutcome): void;
  reject(error: AutoVoiceError): void;
  settled: boolean;
  killTimer?: NodeJS.Timeout;
  removeAbortListener?: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | undefined;
}

const workerUrl = new URL(`./job-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Starts a worker thread; from TypeScript sources (tsx) through a tiny bootstrap that registers the loader. */
function spawnWorker(init: WorkerInit): Worker {
  if (workerUrl.pathname.endsWith('.ts')) {
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
    return new Worker(code, { eval: true, workerData: init });
  }
  return new Worker(workerUrl, { workerData: init });
}

/**
 * A fixed pool of worker threads that run job handlers one task per thread, keeping CPU-heavy
 * audio work off the event loop. Emits `idle` whenever a worker becomes free (the job runner
 * claims the next job then). Crashed or force-terminated workers are replaced.
 */
export class WorkerPool extends EventEmitter {
  private readonly slots: Slot[] = [];
  private readonly pending: Task[] = [];
  private nextTaskId = 1;
  private closing = false;
  /** Job types whose pipeline is present in this build (from the workers' start-up check). */
  available: Readonly<Record<string, boolean>> = {};

  private constructor(private readonly options: WorkerPoolOptions) {
    super();
  }

  /** Starts `size` workers and waits until each has loaded every handler. */
  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    await Promise.all(Array.from({ length: options.size }, () => pool.addSlot()));
    return pool;
  }

  /** Workers ready and not running a task. */
  get idleCount(): number {
    return this.slots.filter((s) => s.ready && s.task === undefined).length;
  }

  /** Tasks waiting for a worker. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Tasks running now. */
  get busyCount(): number {
    return this.slots.filter((s) => s.task !== undefined).length;
  }

  /** True when every worker is up (readiness). */
  get healthy(): boolean {
    return !this.closing && this.slots.length === this.options.size && this.slots.every((s) => s.ready);
  }

  /** Runs a task on the next free worker; rejects with an AutoVoiceError (the handler's, or cancelled/crashed). */
  run(type: string, payload: unknown, options: TaskOptions = {}): Promise<JobOutcome> {
    if (this.closing) return Promise.reject(new AutoVoiceError('service.unavailable', 'The server is shutting down; retry on another instance or later.'));
    if (this.pending.length >= this.options.maxPending) {
      return Promise.reject(new AutoVoiceError('queue.full', 'All workers are busy and the wait list is full; retry shortly.', { pending: this.pending.length }));
    }
    if (options.signal?.aborted) return Promise.reject(new AutoVoiceError('operation.cancelled', 'The operation was cancelled.'));
    return new Promise<JobOutcome>((resolve, reject) => {
      const task: Task = { id: this.nextTaskId++, type, payload, options, resolve, reject, settled: false };
      if (options.signal !== undefined) {
        const signal = options.signal;
        const onAbort = (): void => this.cancel(task);
        signal.addEventListener('abort', onAbort, { once: true });
        task.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.push(task);
      this.dispatch();
    });
  }

  /** Stops every worker; pending and running tasks are rejected with service.unavailable. */
  async close(): Promise<void> {
    this.closing = true;
    const error = new AutoVoiceError('service.unavailable', 'The server is shutting down.');
    for (const task of this.pending.splice(0)) this.settle(task, error);
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.task !== undefined) this.settle(slot.task, error);
        await slot.worker.terminate();
      }),
    );
  }

  private addSlot(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const slot: Slot = { worker: spawnWorker(this.options.init), ready: false, task: undefined };
      this.slots.push(slot);
      slot.worker.on('message', (message: FromWorkerMessage) => {
        if (message.kind === 'ready') {
          this.available = message.available;
          slot.ready = true;
          resolve();
          this.dispatch();
          this.emit('idle');
        } else if (message.kind === 'init-failed') {
          reject(new AutoVoiceError('internal.error', `A job worker failed its start-up check: ${message.error.message}`));
        } else this.onTaskMessage(slot, message);
      });
      slot.worker.on('error', (error) => {
        if (!slot.ready) reject(new AutoVoiceError('internal.error', `A job worker failed to start: ${error.message}`));
      });
      slot.worker.on('exit', () => this.onExit(slot));
    });
  }

  private onTaskMessage(slot: Slot, message: Exclude<FromWorkerMessage, { kind: 'ready' | 'init-failed' }>): void {
    const task = slot.task;
    if (task === undefined || task.id !== message.taskId || task.settled) return;
    switch (message.kind) {
      case 'progress':
        task.options.onProgress?.(message.stage, message.fraction);
        break;
      case 'chunk':
        task.options.onChunk?.(message.bytes);
        break;
      case 'log':
        task.options.onLog?.(message.level, message.message, message.fields);
        break;
      case 'done':
        slot.task = undefined;
        this.settle(task, message.outcome);
        this.afterTask();
        break;
      case 'failed':
        slot.task = undefined;
        this.settle(task, new AutoVoiceError(message.error.code as never, message.error.message, message.error.details));
        this.afterTask();
        break;
    }
  }

  private onExit(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    if (slot.task !== undefined) {
      const task = slot.task;
      slot.task = undefined;
      const cancelled = task.options.signal?.aborted === true;
      this.settle(
        task,
        cancelled
          ? new AutoVoiceError('operation.cancelled', 'The operation was cancelled.')
          : new AutoVoiceError('job.worker_crashed', 'The worker running this task stopped unexpectedly; the job can be retried.'),
      );
    }
    if (!this.closing) {
      this.addSlot().catch((error: unknown) => this.emit('error', error));
    }
  }

  private cancel(task: Task): void {
    if (task.settled) return;
    const pendingIndex = this.pending.indexOf(task);
    if (pendingIndex >= 0) {
      this.pending.splice(pendingIndex, 1);
      this.settle(task, new AutoVoiceError('operation.cancelled', 'The operation was cancelled.'));
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot === undefined) return;
    slot.worker.postMessage({ kind: 'cancel', taskId: task.id } satisfies ToWorkerMessage);
    // A handler stuck in CPU work cannot see the signal: terminate its worker after the grace time.
    task.killTimer = setTimeout(() => {
      if (!task.settled && slot.task === task) void slot.worker.terminate();
    }, this.options.cancelGraceMs);
  }

  private settle(task: Task, result: JobOutcome | AutoVoiceError): void {
    if (task.settled) return;
    task.settled = true;
    clearTimeout(task.killTimer);
    task.removeAbortListener?.();
    if (result instanceof AutoVoiceError) task.reject(result);
    else task.resolve(result);
  }

  private afterTask(): void {
    this.dispatch();
    if (this.idleCount > 0) this.emit('idle');
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.task !== undefined) continue;
      const task = this.pending.shift();
      if (task === undefined) return;
      slot.task = task;
      slot.worker.postMessage({ kind: 'run', taskId: task.id, type: task.type, payload: task.payload } satisfies ToWorkerMessage);
    }
  }
}
