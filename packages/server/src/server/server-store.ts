import { InProcessSweepLock, type SweepLock } from '../retention/sweep-lock.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { sqliteKysely } from '../store/sqlite/kysely.js';
import { openMigratedSqlite } from '../store/sqlite/migrate-sqlite.js';
import type { StoreCommands } from '../writer/commands.js';
import { SqliteStoreCommands } from '../writer/commands-client.js';
import type { IngestWriter } from '../writer/ingest-writer.js';
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
  // PostgreSQL's modules (its driver among them) are loaded only for a PostgreSQL database.
  return config.database.dialect === 'postgresql'
    ? (await import('./postgres-store.js')).openPostgresStore(config)
    : openSqliteStore(config);
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
      maxInFlightBytes: config.maxInFlightBytes,
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
