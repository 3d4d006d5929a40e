import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqliteDatabase } from './database.js';

/** Roles: `admin` sees and manages everything; `user` sees only its own voices and jobs. */
export type ApiKeyRole = 'admin' | 'user';

/** A stored API key (never its secret). Times are epoch ms. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly role: ApiKeyRole;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: ApiKeyRole;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const KEY_PATTERN = /^av_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * SHA-256 of the key's random part. The secret is 256 random bits, so a fast hash is enough
 * (no password stretching needed) and lookups stay cheap on every request.
 */
function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

/** Owns the `api_keys` table. Keys look like `av_<16 hex id>_<43 char secret>`; only a hash of the secret is stored. */
export class ApiKeyRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Creates a key; the returned `key` is shown once and cannot be recovered later. */
  create(name: string, role: ApiKeyRole, now: number): { record: ApiKeyRecord; key: string } {
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    this.db
      .prepare('INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, role, hashSecret(secret).toString('hex'), now);
    return { record: { id, name, role, createdAt: now, lastUsedAt: null, revokedAt: null }, key: `av_${id}_${secret}` };
  }

  /** The key's record when `key` is a valid, unrevoked key; undefined otherwise. Constant-time on the secret. */
  verify(key: string): ApiKeyRecord | undefined {
    const match = KEY_PATTERN.exec(key);
    if (match === null) return undefined;
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(match[1]) as ApiKeyRow | undefined;
    if (row === undefined || row.revoked_at !== null) return undefined;
    const expected = Buffer.from(row.secret_hash, 'hex');
    const actual = hashSecret(match[2] as string);
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? toRecord(row) : undefined;
  }

  /** Records use (coarse: callers throttle). */
  touch(id: string, now: number): void {
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, id);
  }

  /** All keys, oldest first. */
  list(): ApiKeyRecord[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, rowid').all() as ApiKeyRow[]).map(toRecord);
  }

  /** Revokes a key; false when there is no such key. */
  revoke(id: string, now: number): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(now, id).changes === 1;
  }
}
