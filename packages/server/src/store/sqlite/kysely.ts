import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.js';
import type { SqliteConnection } from './open.js';

export function sqliteKysely(connection: SqliteConnection): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });
}
