import type { SqliteDatabase } from './database.js';

/** A batch: a group of child jobs created by one request. Times are epoch ms. */
export interface BatchRecord {
  readonly id: string;
  readonly ownerKeyId: string | null;
  readonly jobType: string;
  readonly createdAt: number;
}

/** Owns the `batches` table; child jobs point at their batch through `jobs.batch_id`. */
export class BatchRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Stores a new batch. */
  insert(batch: BatchRecord): void {
    this.db.prepare('INSERT INTO batches (id, owner_key_id, job_type, created_at) VALUES (?, ?, ?, ?)').run(batch.id, batch.ownerKeyId, batch.jobType, batch.createdAt);
  }

  /** The batch, or undefined. */
  get(id: string): BatchRecord | undefined {
    const row = this.db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as
      | { id: string; owner_key_id: string | null; job_type: string; created_at: number }
      | undefined;
    return row === undefined ? undefined : { id: row.id, ownerKeyId: row.owner_key_id, jobType: row.job_type, createdAt: row.created_at };
  }

  /** Removes batches that no longer have any job. */
  deleteEmpty(): number {
    return this.db.prepare('DELETE FROM batches WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.batch_id = batches.id)').run().changes;
  }
}
