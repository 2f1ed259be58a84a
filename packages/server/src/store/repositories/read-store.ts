import type { Kysely } from 'kysely';
import type { Database, SqlDialect } from '../schema.js';

/**
 * What the repositories read through: the server's read connection (never the writer's) and its
 * dialect, for the few queries that must differ between SQLite and PostgreSQL (see json.ts).
 */
export interface ReadStore {
  db: Kysely<Database>;
  dialect: SqlDialect;
}
