import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { openDatabase, type SqliteDatabase } from '../storage/database.js';
import { JobRepository } from '../storage/job.repository.js';
import type { JobRecord } from '../storage/job-record.js';
import { isAutoVoiceError } from '../errors/index.js';
import { createJobService } from './create-job-service.js';
import type { JobService } from './job-service.js';

function waitForFinal(service: JobService, id: string, timeoutMs = 10_000): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    const current = service.mustGet(id);
    if (['succeeded', 'failed', 'cancelled'].includes(current.state)) return resolve(current);
    const timer = setTimeout(() => reject(new Error(`job ${id} did not finish`)), timeoutMs);
    const onFinished = (job: JobRecord): void => {
      if (job.id !== id) return;
      clearTimeout(timer);
      service.off('finished', onFinished);
      resolve(job);
    };
    service.on('finished', onFinished);
  });
}

function waitForStart(service: JobService, id: string): Promise<void> {
  return new Promise((resolve) => {
    if (service.mustGet(id).state === 'running') return resolve();
    const onStarted = (job: JobRecord): void => {
      if (job.id !== id) return;
      service.off('started', onStarted);
      resolve();
    };
    service.on('started', onStarted);
  });
}

describe('JobService on worker threads', () => {
  let dir: string;
  let db: SqliteDatabase;
  let service: JobService;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'av-jobs-'));
    const config = loadConfig({ AUTOVOICE_DATA_DIR: dir, AUTOVOICE_WORKERS: '2', AUTOVOICE_MAX_QUEUED: '3', AUTOVOICE_CANCEL_GRACE_MS: '200', AUTOVOICE_JOB_MAX_ATTEMPTS: '2' });
    db = openDatabase(join(dir, 'autovoice.db'));
    const repo = new JobRepository(db);
    // A job a "previous process" left running on its last attempt, and one with an attempt left.
    repo.insert({ id: 'crashed-twice', type: 'test.sleep', payload: { steps: 1, stepMs: 1 }, ownerKeyId: null, maxAttempts: 2, createdAt: 1 });
    repo.insert({ id: 'crashed-once', type: 'test.sleep', payload: { steps: 1, stepMs: 1 }, ownerKeyId: null, maxAttempts: 2, createdAt: 2 });
    repo.claimNext(3);
    repo.claimNext(3);
    db.prepare(`UPDATE jobs SET attempts = 2 WHERE id = 'crashed-twice'`).run();
    ({ service } = await createJobService(config, db, pino({ level: 'silent' })));
    service.start();
  });

  after(async () => {
    await service.shutdown();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('recovers interrupted jobs: retried while attempts remain, failed after', async () => {
    const retried = await waitForFinal(service, 'crashed-once');
    assert.equal(retried.state, 'succeeded');
    assert.equal(retried.attempts, 2);
    const exhausted = service.mustGet('crashed-twice');
    assert.equal(exhausted.state, 'failed');
    assert.equal(exhausted.error?.code, 'job.attempts_exhausted');
  });

  test('runs a job with progress and records timings', async () => {
    const stages: string[] = [];
    service.on('progress', (job, stage) => job.id === queued.id && stages.push(stage));
    const queued = service.enqueue('test.sleep', { steps: 3, stepMs: 20 }, { ownerKeyId: 'k1', requestId: 'req-1' });
    assert.equal(queued.state, 'queued');
    const done = await waitForFinal(service, queued.id);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.progress, 1);
    assert.deepEqual(stages, ['step-1', 'step-2', 'step-3']);
    assert.ok((done.processingSeconds ?? 0) >= 0.05);
    assert.equal(done.audioSeconds, 0.06);
    assert.equal(done.requestId, 'req-1');
    assert.deepEqual(done.result?.metrics, { steps: 3 });
  });

  test('a failing handler fails the job with its code', async () => {
    const job = service.enqueue('test.sleep', { steps: 1, stepMs: 1, failWith: 'audio.corrupt' }, { ownerKeyId: null });
    const done = await waitForFinal(service, job.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error?.code, 'audio.corrupt');
  });

  test('cancel stops a cooperative job and a stuck one within a second', async () => {
    for (const ignoreAbort of [false, true]) {
      const job = service.enqueue('test.sleep', { steps: 100, stepMs: 50, ignoreAbort }, { ownerKeyId: null });
      await waitForStart(service, job.id);
      const t0 = Date.now();
      assert.equal(service.cancel(job.id).state, 'cancelled');
      // The worker slot frees (or is replaced) quickly: a fresh job runs right after.
      const next = service.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: null });
      const nextDone = await waitForFinal(service, next.id);
      assert.equal(nextDone.state, 'succeeded');
      assert.ok(Date.now() - t0 < 3000, `worker freed after ${Date.now() - t0} ms`);
      assert.throws(() => service.cancel(job.id), (e) => isAutoVoiceError(e, 'job.not_cancellable'));
    }
  });

  test('a full queue refuses with queue.full', async () => {
    const blockers = [0, 1].map(() => service.enqueue('test.sleep', { steps: 400, stepMs: 25 }, { ownerKeyId: null }));
    await Promise.all(blockers.map((b) => waitForStart(service, b.id)));
    const queued = [0, 1, 2].map(() => service.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: null }));
    assert.throws(() => service.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: null }), (e) => isAutoVoiceError(e, 'queue.full'));
    for (const job of [...blockers, ...queued]) if (['queued', 'running'].includes(service.mustGet(job.id).state)) service.cancel(job.id);
  });

  test('cleanup removes expired jobs and their files', async () => {
    const job = service.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: null });
    await waitForFinal(service, job.id);
    const removed = await service.cleanup(Date.now() + 365 * 24 * 3600 * 1000);
    assert.ok(removed >= 1);
    assert.throws(() => service.mustGet(job.id), (e) => isAutoVoiceError(e, 'job.not_found'));
  });
});

describe('JobService shutdown (SIGTERM)', () => {
  test('finishes what fits in the grace time, re-queues the rest with the attempt refunded, and the next start runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'av-jobs-shutdown-'));
    const env = { AUTOVOICE_DATA_DIR: dir, AUTOVOICE_WORKERS: '2', AUTOVOICE_SHUTDOWN_GRACE_MS: '400', AUTOVOICE_JOB_MAX_ATTEMPTS: '2' };
    const db = openDatabase(join(dir, 'autovoice.db'));
    try {
      const first = (await createJobService(loadConfig(env), db, pino({ level: 'silent' }))).service;
      first.start();
      const short = first.enqueue('test.sleep', { steps: 4, stepMs: 25 }, { ownerKeyId: null });
      const long = first.enqueue('test.sleep', { steps: 60, stepMs: 25 }, { ownerKeyId: null });
      await Promise.all([waitForStart(first, short.id), waitForStart(first, long.id)]);
      const t0 = Date.now();
      await first.shutdown();
      const tookMs = Date.now() - t0;
      assert.ok(tookMs < 3000, `shutdown took ${tookMs} ms`);

      const repo = new JobRepository(db);
      assert.equal(repo.get(short.id)?.state, 'succeeded', 'a job that ends within the grace time completes');
      const requeued = repo.get(long.id);
      assert.equal(requeued?.state, 'queued', 'a job still running at the deadline goes back to the queue');
      assert.equal(requeued?.attempts, 0, 'a shutdown is not the job’s fault: its attempt is given back');

      const second = (await createJobService(loadConfig(env), db, pino({ level: 'silent' }))).service;
      second.start();
      try {
        const done = await waitForFinal(second, long.id);
        assert.equal(done.state, 'succeeded');
        assert.equal(done.attempts, 1);
        assert.equal(done.progress, 1);
      } finally {
        await second.shutdown();
      }
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
