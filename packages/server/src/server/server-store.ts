import { InProcessSweepLock, PostgresSweepLock, type SweepLock } from '../retention/sweep-lock.js';
import { redact } from '../store/database-url.js';
import { postgresKysely } from '../store/postgres/kysely.js';
import { migratePostgres } from '../store/postgres/migrate-postgres.js';
import { checkConnection, createPostgresPool } from '../store/postgres/pool.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openMigratedSqlite } from '../store/sqlite/migrate-sqlite.js';
import type { StoreCommands } from '../writer/commands.js';
import { SqliteStoreCommands } from '../writer/commands-client.js';
import type { IngestWriter } from '../writer/ingest-writer.js';
import { PostgresStoreCommands } from '../writer/postgres/commands.js';
import { PostgresIngestWriter } from '../writer/postgres/ingest-writer.js';
import { SqliteIngestWriter } from '../writer/sqlite/ingest-writer.js';
import type { ServerConfig } from './config.js';

/** Everything a server reads and writes through, whichever the database. */
export interface ServerStore {
  /** Where the collectors hand export requests. */
  writer: IngestWriter;
  /** The REST API's reads. */
  reads: ReadStore;
  /** The REST API's writes. */
  commands: StoreCommands;
  /** Where the data lives, for people: a file path or a redacted database URL. */
  dataLocation: string;
  /** Held while a retention sweep runs: on PostgreSQL, by one of the servers sharing the database. */
  sweepLock: SweepLock;
  /** Stores every accepted span, then closes the connections. */
  close(): Promise<void>;
}

/** Migrates the database of `config.database`, then opens its writer, reads and commands. */
export async function openServerStore(config: ServerConfig): Promise<ServerStore> {
  return config.database.dialect === 'postgresql' ? openPostgresStore(config) : openSqliteStore(config);
}

/** SQLite: one writer thread owns the file (spans and the REST API's commands); reads on this thread. */
async function openSqliteStore(config: ServerConfig): Promise<ServerStore> {
  if (config.database.dialect !== 'sqlite') throw new Error('unreachable');
  const databasePath = config.database.path;
  const connection = await openMigratedSqlite(databasePath);
  let writer: SqliteIngestWriter;
  try {
    writer = await SqliteIngestWriter.start({
      databasePath,
      maxQueuedSpans: config.maxQueuedSpans,
      maxBatchSpans: config.maxBatchSpans,
      walLimitPages: config.walLimitPages,
      maxInFlightBytes: 4 * config.maxBodyBytes,
    });
  } catch (error) {
    connection.close();
    throw error;
  }
  return {
    writer,
    reads: { db: sqliteKysely(connection), dialect: 'sqlite' },
    commands: new SqliteStoreCommands(writer.writerThread),
    dataLocation: databasePath,
    sweepLock: new InProcessSweepLock(),
    async close() {
      await writer.close();
      connection.close();
    },
  };
}

/**
 * PostgreSQL: spans through the writer thread's pool; the REST API's reads and commands on a pool of
 * this thread. Other servers may share the database.
 */
async function openPostgresStore(config: ServerConfig): Promise<ServerStore> {
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
      maxInFlightBytes: 4 * config.maxBodyBytes,
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
