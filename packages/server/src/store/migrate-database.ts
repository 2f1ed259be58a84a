import type { DatabaseLocation } from './database-url.js';
import { migrateToLatest } from './migrate.js';
import { sqliteKysely } from './sqlite/kysely.js';
import { openSqlite } from './sqlite/open.js';

/** Runs pending migrations on the database at `location` and closes it; returns what was applied. */
export async function migrateDatabase(location: DatabaseLocation): Promise<string[]> {
  // The driver is loaded for a PostgreSQL database only.
  if (location.dialect === 'postgresql')
    return (await import('./postgres/migrate-postgres.js')).migratePostgres(location);
  const db = sqliteKysely(openSqlite(location.path));
  try {
    return await migrateToLatest(db, 'sqlite');
  } finally {
    await db.destroy();
  }
}
