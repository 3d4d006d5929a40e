import { AutoVoiceError } from '../errors/index.js';
import type { SqliteDatabase } from './database.js';
import type { JobErrorData, JobRecord, JobResultData, JobState } from './job-record.js';

interface JobRow {
  id: string;
  type: string;
  state: JobState;
  payload: string;
  owner_key_id: string | null;
  batch_id: string | null;
  request_id: string | null;
  attempts: number;
  max_attempts: number;
  progress: number;
  stage: string | null;
  cancel_requested: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  expires_at: number | null;
  error_code: string | null;
  error_message: string | null;
  error_details: string | null;
  result: string | null;
  input_blobs: string;
  audio_seconds: number | null;
  processing_seconds: number | null;
}

/** Fields given when a job is created. */
export interface NewJob {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly ownerKeyId: string | null;
  readonly batchId?: string | null;
  readonly requestId?: string | null;
  readonly maxAttempts: number;
  readonly inputBlobs?: readonly string[];
  readonly createdAt: number;
}

/** Filters for listing jobs; `ownerKeyId` undefined means every owner (admin). */
export interface JobListQuery {
  readonly state?: JobState;
  readonly type?: string;
  readonly ownerKeyId?: string | null;
  readonly batchId?: string;
  readonly limit: number;
  readonly offset: number;
}

/** How a job ends. */
export interface JobFinish {
  readonly state: 'succeeded' | 'failed' | 'cancelled';
  readonly finishedAt: number;
  readonly expiresAt: number;
  readonly result?: JobResultData;
  readonly error?: JobErrorData;
  readonly audioSeconds?: number;
  readonly processingSeconds?: number;
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    payload: JSON.parse(row.payload) as unknown,
    ownerKeyId: row.owner_key_id,
    batchId: row.batch_id,
    requestId: row.request_id,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: row.progress,
    stage: row.stage,
    cancelRequested: row.cancel_requested === 1,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    expiresAt: row.expires_at,
    error:
      row.error_code === null
        ? null
        : { code: row.error_code, message: row.error_message ?? '', ...(row.error_details === null ? {} : { details: JSON.parse(row.error_details) as Record<string, unknown> }) },
    result: row.result === null ? null : (JSON.parse(row.result) as JobResultData),
    inputBlobs: JSON.parse(row.input_blobs) as string[],
    audioSeconds: row.audio_seconds,
    processingSeconds: row.processing_seconds,
  };
}

/** Owns the `jobs` table: the durable queue. All state changes are single statements or transactions. */
export class JobRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Inserts a queued job. */
  insert(job: NewJob): void {
    this.db
      .prepare(
        `INSERT INTO jobs (id, type, state, payload, owner_key_id, batch_id, request_id, max_attempts, input_blobs, created_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(job.id, job.type, JSON.stringify(job.payload), job.ownerKeyId, job.batchId ?? null, job.requestId ?? null, job.maxAttempts, JSON.stringify(job.inputBlobs ?? []), job.createdAt);
  }

  /** The job with this id, or undefined. */
  get(id: string): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** A page of jobs, newest first, and the total matching; `usage.invalid_argument` for a limit or offset that is not a whole number ≥ 0. */
  list(query: JobListQuery): { items: JobRecord[]; total: number } {
    // SQLite answers a huge or fractional LIMIT/OFFSET with a bare "datatype mismatch".
    for (const [name, value] of [['limit', query.limit], ['offset', query.offset]] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new AutoVoiceError('usage.invalid_argument', `The ${name} must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}; got ${value}.`, { [name]: value });
      }
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value?: unknown): void => {
      where.push(sql);
      if (value !== undefined) params.push(value);
    };
    if (query.state !== undefined) add('state = ?', query.state);
    if (query.type !== undefined) add('type = ?', query.type);
    if (query.batchId !== undefined) add('batch_id = ?', query.batchId);
    if (query.ownerKeyId === null) add('owner_key_id IS NULL');
    else if (query.ownerKeyId !== undefined) add('owner_key_id = ?', query.ownerKeyId);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM jobs ${clause}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM jobs ${clause} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
      .all(...params, query.limit, query.offset) as JobRow[];
    return { items: rows.map(toRecord), total };
  }

  /** Number of jobs in a state. */
  countInState(state: JobState): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM jobs WHERE state = ?').get(state) as { n: number }).n;
  }

  /** Atomically takes the oldest queued job, marks it running and counts the attempt. */
  claimNext(now: number): JobRecord | undefined {
    const row = this.db
      .prepare(
        `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, progress = 0, stage = NULL
         WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at, rowid LIMIT 1)
         RETURNING *`,
      )
      .get(now) as JobRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** Records progress of a running job. */
  updateProgress(id: string, progress: number, stage: string | null): void {
    this.db.prepare(`UPDATE jobs SET progress = ?, stage = ? WHERE id = ? AND state = 'running'`).run(progress, stage, id);
  }

  /** Moves an active job to a final state; returns false when it was already final. */
  finish(id: string, finish: JobFinish): boolean {
    const info = this.db
      .prepare(
        `UPDATE jobs SET state = ?, finished_at = ?, expires_at = ?, result = ?, error_code = ?, error_message = ?, error_details = ?,
           audio_seconds = ?, processing_seconds = ?, progress = CASE WHEN ? = 'succeeded' THEN 1 ELSE progress END
         WHERE id = ? AND state IN ('queued','running')`,
      )
      .run(
        finish.state,
        finish.finishedAt,
        finish.expiresAt,
        finish.result === undefined ? null : JSON.stringify(finish.result),
        finish.error?.code ?? null,
        finish.error?.message ?? null,
        finish.error?.details === undefined ? null : JSON.stringify(finish.error.details),
        finish.audioSeconds ?? null,
        finish.processingSeconds ?? null,
        finish.state,
        id,
      );
    return info.changes === 1;
  }

  /** Flags a running job for cancellation (the runner acts on it). */
  markCancelRequested(id: string): void {
    this.db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(id);
  }

  /**
   * Puts a running job back in the queue. `refundAttempt` (graceful shutdown: not the job's
   * fault) gives back the attempt it used; a crash keeps it counted.
   */
  requeue(id: string, refundAttempt: boolean): void {
    this.db
      .prepare(
        `UPDATE jobs SET state = 'queued', attempts = CASE WHEN ? THEN MAX(attempts - 1, 0) ELSE attempts END, progress = 0, stage = NULL, started_at = NULL
         WHERE id = ? AND state = 'running'`,
      )
      .run(refundAttempt ? 1 : 0, id);
  }

  /** Upload blob ids read by jobs that are still queued or running (kept by the orphan sweep). */
  activeInputBlobs(): Set<string> {
    const rows = this.db.prepare(`SELECT input_blobs FROM jobs WHERE state IN ('queued','running')`).all() as { input_blobs: string }[];
    return new Set(rows.flatMap((r) => JSON.parse(r.input_blobs) as string[]));
  }

  /**
   * After a crash: jobs left `running` go back to the queue while attempts remain; the rest are
   * returned so the caller can fail them. Runs in one transaction.
   */
  recoverInterrupted(): { requeued: string[]; exhausted: JobRecord[] } {
    return this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT * FROM jobs WHERE state = 'running'`).all() as JobRow[];
      const requeued: string[] = [];
      const exhausted: JobRecord[] = [];
      for (const row of rows) {
        if (row.cancel_requested === 0 && row.attempts < row.max_attempts) {
          this.db.prepare(`UPDATE jobs SET state = 'queued', progress = 0, stage = NULL WHERE id = ?`).run(row.id);
          requeued.push(row.id);
        } else exhausted.push(toRecord(row));
      }
      return { requeued, exhausted };
    })();
  }

  /** Final jobs whose expiry time has passed. */
  listExpired(now: number, limit: number): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?').all(now, limit) as JobRow[]).map(toRecord);
  }

  /** Removes a job row. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id).changes === 1;
  }

  /** Counts of jobs per state and type (metrics). */
  countsByStateAndType(): { state: JobState; type: string; n: number }[] {
    return this.db.prepare('SELECT state, type, COUNT(*) AS n FROM jobs GROUP BY state, type').all() as { state: JobState; type: string; n: number }[];
  }
}
