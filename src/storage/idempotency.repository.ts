import type { SqliteDatabase } from './database.js';

/** A remembered response to a job-creating request sent with an Idempotency-Key. */
export interface IdempotentResponse {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: unknown;
}

/** Owns `idempotency_keys`: (owner, key) → the first response, replayed for repeats. */
export class IdempotencyRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** The stored response for this owner and key, if any. */
  get(owner: string, key: string): IdempotentResponse | undefined {
    const row = this.db.prepare('SELECT * FROM idempotency_keys WHERE owner = ? AND key = ?').get(owner, key) as
      | { request_hash: string; status_code: number; response: string }
      | undefined;
    return row === undefined ? undefined : { requestHash: row.request_hash, statusCode: row.status_code, response: JSON.parse(row.response) as unknown };
  }

  /** Stores the first response (a concurrent duplicate keeps the earlier one). */
  put(owner: string, key: string, value: IdempotentResponse, now: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO idempotency_keys (owner, key, request_hash, status_code, response, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(owner, key, value.requestHash, value.statusCode, JSON.stringify(value.response), now);
  }

  /** Forgets entries created before `before` (epoch ms). */
  deleteOlderThan(before: number): number {
    return this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?').run(before).changes;
  }
}
