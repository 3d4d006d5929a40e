import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { AutoVoiceError, toAutoVoiceError } from '../errors/index.js';
import type { BatchRepository } from '../storage/batch.repository.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { IdempotencyRepository } from '../storage/idempotency.repository.js';
import type { JobRecord, JobResultData } from '../storage/job-record.js';
import type { JobListQuery, JobRepository } from '../storage/job.repository.js';
import type { JobEventMap } from './job-events.js';
import type { JobOutcome } from './job-handler.js';
import type { JobPayloads, JobType } from './job-types.js';
import type { TaskOptions, WorkerPool } from './worker/worker-pool.js';

/** Limits and timings of the job service (from AppConfig.jobs). */
export interface JobServiceOptions {
  /** Jobs run at most this many at a time; the pool's other workers stay free for `runNow`. */
  readonly workers: number;
  readonly maxQueued: number;
  readonly maxAttempts: number;
  readonly resultTtlSeconds: number;
  readonly cleanupIntervalSeconds: number;
  readonly shutdownGraceMs: number;
}

/** Who created a job and from which request (for visibility and log correlation). */
export interface JobOrigin {
  readonly ownerKeyId: string | null;
  readonly requestId?: string;
  readonly batchId?: string;
  readonly inputBlobs?: readonly string[];
}

/** The repositories and adapters the service uses. */
export interface JobServiceDeps {
  readonly jobs: JobRepository;
  readonly batches: BatchRepository;
  readonly idempotency: IdempotencyRepository;
  readonly blobs: BlobStore;
  readonly pool: WorkerPool;
  readonly logger: Logger;
}

const PROGRESS_WRITE_INTERVAL_MS = 100;

interface RunningJob {
  readonly controller: AbortController;
  readonly job: JobRecord;
  stage: string | undefined;
  stageStartedAt: number;
  lastWriteAt: number;
}

/**
 * The durable job queue: accepts jobs into SQLite, runs them on the worker pool as workers free
 * up, records progress and outcomes, retries jobs interrupted by a crash (bounded attempts),
 * cancels within the pool's grace time, removes expired data, and drains on shutdown.
 */
export class JobService extends EventEmitter<JobEventMap> {
  private readonly running = new Map<string, RunningJob>();
  private stopping = false;
  private cleanupTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: JobServiceDeps,
    private readonly options: JobServiceOptions,
  ) {
    super();
  }

  /** Recovers jobs a crash left running, starts claiming work and the expiry sweep. */
  start(): void {
    const { requeued, exhausted } = this.deps.jobs.recoverInterrupted();
    for (const id of requeued) this.deps.logger.warn({ jobId: id }, 'job was interrupted by a restart; re-queued');
    for (const job of exhausted) {
      const error = job.cancelRequested
        ? new AutoVoiceError('operation.cancelled', 'The job was cancelled.')
        : new AutoVoiceError('job.attempts_exhausted', `The job was interrupted ${job.attempts} times (limit ${job.maxAttempts}) and gave up; submit it again.`, { attempts: job.attempts });
      this.finish(job, error.code === 'operation.cancelled' ? 'cancelled' : 'failed', { error });
    }
    this.deps.pool.on('idle', () => this.pump());
    this.cleanupTimer = setInterval(() => void this.cleanup(), this.options.cleanupIntervalSeconds * 1000);
    this.cleanupTimer.unref();
    this.pump();
  }

  /** Jobs queued now. */
  get queueDepth(): number {
    return this.deps.jobs.countInState('queued');
  }

  /** Jobs running now. */
  get runningCount(): number {
    return this.running.size;
  }

  /** Accepts a job; 429 queue.full when the queue is at its limit, 503 while shutting down. */
  enqueue<K extends JobType>(type: K, payload: JobPayloads[K], origin: JobOrigin): JobRecord {
    this.assertAccepting(1);
    const id = randomUUID();
    this.deps.jobs.insert({
      id,
      type,
      payload,
      ownerKeyId: origin.ownerKeyId,
      batchId: origin.batchId ?? null,
      requestId: origin.requestId ?? null,
      maxAttempts: this.options.maxAttempts,
      inputBlobs: origin.inputBlobs ?? [],
      createdAt: Date.now(),
    });
    const job = this.mustGet(id);
    this.deps.logger.info({ reqId: origin.requestId, jobId: id, jobType: type }, 'job queued');
    this.emit('queued', job);
    setImmediate(() => this.pump());
    return job;
  }

  /** Throws unless `count` more jobs fit in the queue. */
  assertAccepting(count: number): void {
    if (this.stopping) throw new AutoVoiceError('service.unavailable', 'The server is shutting down; retry in a moment.');
    const depth = this.queueDepth;
    if (depth + count > this.options.maxQueued) {
      throw new AutoVoiceError('queue.full', `The job queue is full (${depth} of ${this.options.maxQueued} queued); retry later.`, { queued: depth, limit: this.options.maxQueued });
    }
  }

  /** Runs a task on the worker pool without storing a job (short synchronous work). */
  runNow(type: JobType, payload: unknown, options: TaskOptions = {}): Promise<JobOutcome> {
    if (this.stopping) return Promise.reject(new AutoVoiceError('service.unavailable', 'The server is shutting down; retry in a moment.'));
    return this.deps.pool.run(type, payload, options);
  }

  /** The job, or job.not_found. */
  mustGet(id: string): JobRecord {
    const job = this.deps.jobs.get(id);
    if (job === undefined) throw new AutoVoiceError('job.not_found', `No job "${id}"; list jobs with GET /api/v1/jobs.`, { jobId: id });
    return job;
  }

  /** A page of jobs. */
  list(query: JobListQuery): { items: JobRecord[]; total: number } {
    return this.deps.jobs.list(query);
  }

  /** Cancels a queued or running job at once (the worker stops within the cancel grace time). */
  cancel(id: string): JobRecord {
    const job = this.mustGet(id);
    if (job.state !== 'queued' && job.state !== 'running') {
      throw new AutoVoiceError('job.not_cancellable', `The job already ${job.state}; only queued or running jobs can be cancelled.`, { state: job.state });
    }
    this.deps.jobs.markCancelRequested(id);
    this.finish(job, 'cancelled', { error: new AutoVoiceError('operation.cancelled', 'The job was cancelled.') });
    this.running.get(id)?.controller.abort();
    return this.mustGet(id);
  }

  /** Deletes a job and its files (cancelling it first when active). */
  async delete(id: string): Promise<void> {
    const job = this.mustGet(id);
    if (job.state === 'queued' || job.state === 'running') this.cancel(id);
    await this.removeJobData(this.mustGet(id));
    this.deps.jobs.delete(id);
  }

  /** Stops claiming, lets running jobs finish within the grace time, re-queues the rest, stops the workers. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.cleanupTimer);
    const deadline = Date.now() + this.options.shutdownGraceMs;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const [id, entry] of this.running) {
      this.deps.logger.warn({ jobId: id }, 'job still running at shutdown; re-queued');
      this.deps.jobs.requeue(id, true);
      entry.controller.abort();
    }
    await this.deps.pool.close();
  }

  /** Removes jobs past their expiry (with their uploads and results), stale idempotency keys and orphan blobs. */
  async cleanup(now = Date.now()): Promise<number> {
    let removed = 0;
    for (;;) {
      const expired = this.deps.jobs.listExpired(now, 100);
      if (expired.length === 0) break;
      for (const job of expired) {
        await this.removeJobData(job);
        this.deps.jobs.delete(job.id);
        removed++;
      }
    }
    const ttlMs = this.options.resultTtlSeconds * 1000;
    this.deps.batches.deleteEmpty();
    this.deps.idempotency.deleteOlderThan(now - ttlMs);
    const referenced = this.deps.jobs.activeInputBlobs();
    for (const item of this.deps.jobs.list({ limit: 1_000_000, offset: 0 }).items) {
      for (const blob of item.inputBlobs) referenced.add(blob);
      for (const output of Object.values(item.result?.outputs ?? {})) referenced.add(output.blobId);
    }
    await this.deps.blobs.sweep(now - ttlMs, referenced);
    if (removed > 0) this.deps.logger.info({ removed }, 'expired jobs removed');
    return removed;
  }

  private async removeJobData(job: JobRecord): Promise<void> {
    const blobIds = [...job.inputBlobs, ...Object.values(job.result?.outputs ?? {}).map((o) => o.blobId)];
    await Promise.all(blobIds.map((id) => this.deps.blobs.delete(id)));
  }

  private pump(): void {
    while (!this.stopping && this.running.size < this.options.workers && this.deps.pool.idleCount > 0 && this.deps.pool.pendingCount === 0) {
      const job = this.deps.jobs.claimNext(Date.now());
      if (job === undefined) return;
      void this.execute(job);
    }
  }

  private async execute(job: JobRecord): Promise<void> {
    const controller = new AbortController();
    const entry: RunningJob = { controller, job, stage: undefined, stageStartedAt: Date.now(), lastWriteAt: 0 };
    this.running.set(job.id, entry);
    const log = this.deps.logger.child({ reqId: job.requestId ?? undefined, jobId: job.id, jobType: job.type });
    log.info({ attempt: job.attempts, maxAttempts: job.maxAttempts }, 'job started');
    this.emit('started', job);
    const startedAt = performance.now();
    try {
      const outcome = await this.deps.pool.run(job.type, job.payload, {
        signal: controller.signal,
        onProgress: (stage, fraction) => this.onProgress(entry, stage, fraction),
        onLog: (level, message, fields) => log[level](fields ?? {}, message),
      });
      this.endStage(entry);
      const result: JobResultData = { outputs: outcome.outputs, ...(outcome.metrics === undefined ? {} : { metrics: outcome.metrics }), ...(outcome.data === undefined ? {} : { data: outcome.data }) };
      const processingSeconds = (performance.now() - startedAt) / 1000;
      const stored = this.finish(job, 'succeeded', { result, audioSeconds: outcome.audioSeconds, processingSeconds });
      if (!stored) await Promise.all(Object.values(outcome.outputs).map((o) => this.deps.blobs.delete(o.blobId)));
      log.info({ processingSeconds, audioSeconds: outcome.audioSeconds }, stored ? 'job succeeded' : 'job finished after it was cancelled; output discarded');
    } catch (thrown) {
      const error = toAutoVoiceError(thrown);
      const processingSeconds = (performance.now() - startedAt) / 1000;
      if (this.deps.jobs.get(job.id)?.state !== 'running' && error.code !== 'job.worker_crashed' && this.stopping) {
        log.info('job re-queued for the next start');
      } else if (error.code === 'job.worker_crashed' && job.attempts < job.maxAttempts) {
        log.warn({ attempt: job.attempts }, 'worker crashed; job re-queued');
        this.deps.jobs.requeue(job.id, false);
      } else {
        const state = error.code === 'operation.cancelled' ? 'cancelled' : 'failed';
        this.finish(job, state, { error, processingSeconds });
        log[state === 'failed' ? 'warn' : 'info']({ code: error.code }, `job ${state}: ${error.message}`);
      }
    } finally {
      this.running.delete(job.id);
      // The pool's 'idle' came before this slot was given back: claim the next job now.
      this.pump();
    }
  }

  private onProgress(entry: RunningJob, stage: string, fraction: number): void {
    const now = Date.now();
    const stageChanged = stage !== entry.stage;
    if (stageChanged) {
      this.endStage(entry);
      entry.stage = stage;
      entry.stageStartedAt = now;
    }
    if (!stageChanged && now - entry.lastWriteAt < PROGRESS_WRITE_INTERVAL_MS) return;
    entry.lastWriteAt = now;
    this.deps.jobs.updateProgress(entry.job.id, fraction, stage);
    this.emit('progress', entry.job, stage, fraction);
  }

  private endStage(entry: RunningJob): void {
    if (entry.stage !== undefined) this.emit('stage', entry.job.type, entry.stage, (Date.now() - entry.stageStartedAt) / 1000);
    entry.stage = undefined;
  }

  private finish(
    job: JobRecord,
    state: 'succeeded' | 'failed' | 'cancelled',
    extra: { result?: JobResultData; error?: AutoVoiceError; audioSeconds?: number; processingSeconds?: number },
  ): boolean {
    const now = Date.now();
    const stored = this.deps.jobs.finish(job.id, {
      state,
      finishedAt: now,
      expiresAt: now + this.options.resultTtlSeconds * 1000,
      ...(extra.result === undefined ? {} : { result: extra.result }),
      ...(extra.error === undefined ? {} : { error: extra.error.toJSON() }),
      ...(extra.audioSeconds === undefined ? {} : { audioSeconds: extra.audioSeconds }),
      ...(extra.processingSeconds === undefined ? {} : { processingSeconds: extra.processingSeconds }),
    });
    const finished = stored ? this.deps.jobs.get(job.id) : undefined;
    if (finished !== undefined) this.emit('finished', finished);
    return stored;
  }
}
