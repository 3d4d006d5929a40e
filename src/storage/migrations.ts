/**
 * Schema migrations of the service database, applied in order once each (see openDatabase).
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled')),
        payload TEXT NOT NULL,
        owner_key_id TEXT,
        batch_id TEXT,
        request_id TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        progress REAL NOT NULL DEFAULT 0,
        stage TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        expires_at INTEGER,
        error_code TEXT,
        error_message TEXT,
        error_details TEXT,
        result TEXT,
        input_blobs TEXT NOT NULL DEFAULT '[]',
        audio_seconds REAL,
        processing_seconds REAL
      );
      CREATE INDEX jobs_state_created ON jobs (state, created_at);
      CREATE INDEX jobs_owner_created ON jobs (owner_key_id, created_at);
      CREATE INDEX jobs_batch ON jobs (batch_id);
      CREATE INDEX jobs_expires ON jobs (expires_at);

      CREATE TABLE batches (
        id TEXT PRIMARY KEY,
        owner_key_id TEXT,
        job_type TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin','user')),
        secret_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );

      CREATE TABLE idempotency_keys (
        owner TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (owner, key)
      );
    `,
  },
];
