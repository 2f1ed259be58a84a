import { migrateToLatest } from '../migrate.js';
import { postgresKysely } from './kysely.js';
import { checkConnection, createPostgresPool, type PostgresLocation } from './pool.js';

/** Any fixed number: serializes schema creation between servers that start at the same moment. */
const CREATE_SCHEMA_LOCK = 0x46_41_57_4b_45_53; // "FAWKES"

/**
 * Creates the location's schema if missing and brings it to the newest version; returns the
 * migrations applied. Safe when several servers start at once on one database: Kysely's migrator
 * holds an advisory lock while it migrates.
 */
export async function migratePostgres(location: PostgresLocation): Promise<string[]> {
  const pool = createPostgresPool(location, { max: 1, applicationName: 'fawkes-migrate' });
  const db = postgresKysely(pool);
  try {
    await checkConnection(pool, location);
    if (location.schema) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_SCHEMA_LOCK]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${location.schema}`);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    }
    return await migrateToLatest(db, 'postgresql', { schema: location.schema });
  } finally {
    await db.destroy();
  }
}
