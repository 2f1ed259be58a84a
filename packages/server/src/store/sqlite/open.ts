import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SQLITE_REGEXP_FUNCTION, sqliteRegexp } from '../../cost/cost-sql.js';

export type SqliteConnection = BetterSqlite3.Database;

/**
 * One connection to the SQLite file, set for Fawkes' access pattern: WAL so that readers never wait
 * for the writer, synchronous=FULL so that a committed (and so acknowledged) batch survives a crash
 * of the process or of the machine, foreign keys on for cascading deletes.
 */
export function openSqlite(path: string, options: { readonly?: boolean } = {}): SqliteConnection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { readonly: options.readonly ?? false });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // Model-name patterns in cost queries (cost/cost-sql.ts), as PostgreSQL's ~*.
  db.function(SQLITE_REGEXP_FUNCTION, { deterministic: true }, sqliteRegexp);
  return db;
}
