/** The PostgreSQL side of server-store.ts, in its own module so that a SQLite server never loads it. */
import { PostgresSweepLock } from '../retention/sweep-lock.js';
import { redact } from '../store/database-url.js';
import { postgresKysely } from '../store/postgres/kysely.js';
import { migratePostgres } from '../store/postgres/migrate-postgres.js';
import { checkConnection, createPostgresPool } from '../store/postgres/pool.js';
import { PostgresStoreCommands } from '../writer/postgres/commands.js';
import { PostgresIngestWriter } from '../writer/postgres/ingest-writer.js';
import type { ServerConfig } from './config.js';
import type { ServerStore } from './server-store.js';

/**
 * PostgreSQL: spans through the writer thread's pool; the REST API's reads and commands on a pool of
 * this thread. Other servers may share the database.
 */
export async function openPostgresStore(config: ServerConfig): Promise<ServerStore> {
  if (config.database.dialect !== 'postgresql') throw new Error('unreachable');
  const location = config.database;
  await migratePostgres(location);
  const pool = createPostgresPool(location, { max: 8, applicationName: 'fawkes-api' });
  let writer: PostgresIngestWriter;
  try {
    await checkConnection(pool, location);
    writer = await PostgresIngestWriter.start({
      location,
      maxQueuedSpans: config.maxQueuedSpans,
      maxBatchSpans: config.maxBatchSpans,
      maxInFlightBytes: config.maxInFlightBytes,
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = postgresKysely(pool);
  const commands = new PostgresStoreCommands(pool);
  return {
    writer,
    reads: { db, dialect: 'postgresql' },
    commands,
    sweepLock: new PostgresSweepLock(pool),
    dataLocation: `${redact(location.url)}${location.schema ? ` (schema ${location.schema})` : ''}`,
    async close() {
      await writer.close();
      commands.close();
      await db.destroy();
    },
  };
}
