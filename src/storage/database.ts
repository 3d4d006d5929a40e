import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { makeDataFolderSync } from './make-folder.js';
import { MIGRATIONS } from './migrations.js';

/** The SQLite connection type used by every repository. */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the service database at `path` (`:memory:` for tests), enables
 * WAL and a busy timeout so a second process (CLI `keys`) can work beside the server, and
 * applies pending migrations in one transaction each.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') makeDataFolderSync(dirname(path));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Applies every migration newer than the database's `user_version`. */
export function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** True when a trivial query succeeds (readiness probe). */
export function isDatabaseHealthy(db: SqliteDatabase): boolean {
  try {
    return (db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  } catch {
    return false;
  }
}
