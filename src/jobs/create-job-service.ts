import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { BatchRepository } from '../storage/batch.repository.js';
import { BlobStore } from '../storage/blob-store.js';
import type { SqliteDatabase } from '../storage/database.js';
import { IdempotencyRepository } from '../storage/idempotency.repository.js';
import { JobRepository } from '../storage/job.repository.js';
import { JobService } from './job-service.js';
import { WorkerPool } from './worker/worker-pool.js';

/** Wires the job service over a database: repositories, blob store and a started worker pool (not yet `start()`ed). */
export async function createJobService(config: AppConfig, db: SqliteDatabase, logger: Logger): Promise<{ service: JobService; pool: WorkerPool; blobs: BlobStore; batches: BatchRepository; idempotency: IdempotencyRepository }> {
  const blobs = new BlobStore(config.dataDir);
  const pool = await WorkerPool.start({
    size: config.jobs.workers + config.jobs.interactiveWorkers,
    init: { dataDir: config.dataDir, limits: { audioMaxSeconds: config.limits.audioMaxSeconds, uploadMaxBytes: config.limits.uploadMaxBytes, textMaxChars: config.limits.textMaxChars }, onnxExecution: config.onnx.executionProvider },
    cancelGraceMs: config.jobs.cancelGraceMs,
    maxPending: Math.max(32, config.jobs.workers * 16),
  });
  const batches = new BatchRepository(db);
  const idempotency = new IdempotencyRepository(db);
  const service = new JobService({ jobs: new JobRepository(db), batches, idempotency, blobs, pool, logger }, config.jobs);
  return { service, pool, blobs, batches, idempotency };
}
