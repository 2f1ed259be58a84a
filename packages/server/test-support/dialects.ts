/**
 * Dialect-parameterized tests: the same cases run on SQLite and on PostgreSQL.
 *
 *   describeEachDialect('sessions API', (dialect) => {
 *     let store: TestDatabase;
 *     beforeEach(async () => { store = await openTestDatabase(dialect); });
 *     afterEach(() => store.close());
 *     ...
 *   });
 *
 * PostgreSQL runs on the server that the global setup provides (test-support/postgres-global-setup.ts).
 * When there is none, its cases are skipped with the reason in their title, except in CI
 * (CI=true), where they run and fail loudly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { describe } from 'vitest';
import { type ConfigFlags, resolveConfig, type ServerConfig } from '../src/server/config.js';
import { createServer, type FawkesServer } from '../src/server/create-server.js';
import type { DatabaseLocation } from '../src/store/database-url.js';
import { postgresKysely } from '../src/store/postgres/kysely.js';
import { createPostgresPool } from '../src/store/postgres/pool.js';
import type { Database, SqlDialect } from '../src/store/schema.js';
import { sqliteKysely } from '../src/store/sqlite/kysely.js';
import { openMigratedSqlite } from '../src/store/sqlite/migrate-sqlite.js';
import { openSqlite } from '../src/store/sqlite/open.js';
import { createTestPostgresDatabase, postgresUnavailable } from './postgres.js';

export const SQL_DIALECTS: readonly SqlDialect[] = ['sqlite', 'postgresql'];

/** Why `dialect` cannot be tested here (skip), or null (run). In CI nothing is skipped. */
export function dialectSkipReason(dialect: SqlDialect): string | null {
  if (dialect !== 'postgresql' || process.env.CI === 'true') return null;
  return postgresUnavailable();
}

/** `describe(title [dialect], body)` for each dialect. */
export function describeEachDialect(title: string, body: (dialect: SqlDialect) => void): void {
  for (const dialect of SQL_DIALECTS) {
    const skip = dialectSkipReason(dialect);
    if (skip) describe.skip(`${title} [${dialect}] (skipped: ${skip})`, () => body(dialect));
    else describe(`${title} [${dialect}]`, () => body(dialect));
  }
}

/** A fresh, migrated database of one dialect, with a Kysely handle to arrange and assert with. */
export interface TestDatabase {
  dialect: SqlDialect;
  /** For a server's config (`database`), or anything else that opens the database itself. */
  location: DatabaseLocation;
  db: Kysely<Database>;
  close(): Promise<void>;
}

export async function openTestDatabase(
  dialect: SqlDialect,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'fawkes-test-db-'));
    const path = join(dir, 'fawkes.db');
    const connection = migrated ? await openMigratedSqlite(path) : openSqlite(path);
    const db = sqliteKysely(connection);
    return {
      dialect,
      location: { dialect, path },
      db,
      async close() {
        await db.destroy();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestPostgresDatabase({ migrated });
  const location = { dialect, url: database.url } as const;
  const db = postgresKysely(createPostgresPool(location, { max: 4, applicationName: 'fawkes-test' }));
  return {
    dialect,
    location,
    db,
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

export interface DialectTestServer {
  server: FawkesServer;
  /** The server's database, to arrange and assert with. */
  store: TestDatabase;
  close(): Promise<void>;
}

/** A real server on free ports over a fresh database of `dialect`. */
export async function startDialectTestServer(
  dialect: SqlDialect,
  flags: ConfigFlags = {},
  overrides: Partial<ServerConfig> = {},
): Promise<DialectTestServer> {
  const store = await openTestDatabase(dialect);
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-test-'));
  try {
    const config = {
      ...resolveConfig({ port: 0, grpcPort: 0, workingDir, ...flags }, {}),
      database: store.location,
      ...overrides,
    };
    const server = await createServer(config);
    return {
      server,
      store,
      async close() {
        await server.close();
        await store.close();
        rmSync(workingDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await store.close();
    rmSync(workingDir, { recursive: true, force: true });
    throw error;
  }
}

/** `describe(title [postgresql], body)` for tests about PostgreSQL alone, skipped as describeEachDialect skips. */
export function describePostgres(title: string, body: () => void): void {
  const skip = dialectSkipReason('postgresql');
  if (skip) describe.skip(`${title} [postgresql] (skipped: ${skip})`, body);
  else describe(`${title} [postgresql]`, body);
}
