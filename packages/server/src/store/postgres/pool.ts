import pg from 'pg';
import { redact } from '../database-url.js';
import { checkSchemaName, DatabaseUnavailableError } from './location-errors.js';

// Here since the split (location-errors.ts has no driver to load); importers keep these names.
export { checkSchemaName, DatabaseUnavailableError, InvalidSchemaNameError } from './location-errors.js';

/** Where a PostgreSQL store lives: a connection URL and, optionally, the schema that holds its tables. */
export interface PostgresLocation {
  url: string;
  /** PHOENIX_SQL_DATABASE_SCHEMA: created if missing, and the only schema on the search path. */
  schema?: string | undefined;
}

const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;

/**
 * Values come back as the SQLite store returns them, so that code above the store reads both the
 * same way: BIGINT (instants in microseconds, counts) and NUMERIC (sums) as numbers (microsecond
 * instants stay far below 2^53), JSON columns as their text.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === INT8 || oid === NUMERIC) return Number;
      if (oid === JSON_OID || oid === JSONB) return (text: string) => text;
    }
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PoolOptions {
  /** Connections at most. */
  max?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/** A pool whose every connection uses the location's schema (search_path set at connection start-up). */
export function createPostgresPool(location: PostgresLocation, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: location.url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'fawkes',
    types,
    ...(location.schema ? { options: `-c search_path=${checkSchemaName(location.schema)}` } : {}),
  });
  // A connection that the server drops (restart, failover, idle timeout) must not crash the process:
  // an idle one the pool replaces; a checked-out one (which pg-pool leaves without an 'error'
  // listener) fails its query instead, and the pool discards it on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

/** Fails fast, in one line and without the password, when the database cannot be reached. */
export async function checkConnection(pool: pg.Pool, location: PostgresLocation): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL at ${redact(location.url)}: ${reason}`, {
      cause: error,
    });
  }
}
