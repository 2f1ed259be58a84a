import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { type ConfigFlags, resolveConfig, type ServerConfig } from '../src/server/config.js';
import { createServer, type FawkesServer } from '../src/server/create-server.js';
import { createPostgresPool } from '../src/store/postgres/pool.js';
import type { SqlDialect } from '../src/store/schema.js';
import { createTestPostgresDatabase } from './postgres.js';
import { inlineParameters, queryPostgresSync } from './postgres-sync-query.js';

/** The host name browser tests open the server at (e2e/browser.ts maps it to 127.0.0.1), answered by test servers. */
export const BROWSER_TEST_HOST = 'fawkes.test';

export interface TestServer {
  server: FawkesServer;
  workingDir: string;
  dialect: SqlDialect;
  /**
   * What was stored, synchronously: SQL with `?` placeholders, written for both dialects (SQLite: a
   * read-only connection; PostgreSQL: psql). Rows as the store returns them: instants and counts as
   * numbers, JSON columns as text.
   */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** The same, asynchronously (and faster on PostgreSQL: through a pool). */
  select<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A real server on free ports: SQLite in a fresh temporary directory, or (dialect 'postgresql') a
 * fresh database on the test PostgreSQL server (see dialects.ts).
 */
export async function startTestServer(
  flags: ConfigFlags = {},
  overrides: Partial<ServerConfig> = {},
  dialect: SqlDialect = 'sqlite',
): Promise<TestServer> {
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-test-'));
  const database = dialect === 'postgresql' ? await createTestPostgresDatabase() : null;
  const config = {
    ...resolveConfig({ port: 0, grpcPort: 0, workingDir, ...flags }, {}),
    allowedHosts: [BROWSER_TEST_HOST],
    ...(database ? { database: { dialect: 'postgresql' as const, url: database.url } } : {}),
    ...overrides,
  };
  let server: FawkesServer;
  try {
    server = await createServer(config);
  } catch (error) {
    await database?.drop();
    rmSync(workingDir, { recursive: true, force: true });
    throw error;
  }
  const location = config.database;
  let reader: BetterSqlite3.Database | undefined;
  let pool: pg.Pool | undefined;
  const sqlite = (path: string) => {
    reader ??= new BetterSqlite3(path, { readonly: true });
    return reader;
  };
  return {
    server,
    workingDir,
    dialect,
    query(sql, ...params) {
      if (location.dialect === 'postgresql') return queryPostgresSync(location.url, sql, params);
      return sqlite(location.path)
        .prepare(sql)
        .all(...params) as never;
    },
    async select(sql, ...params) {
      if (location.dialect === 'sqlite')
        return sqlite(location.path)
          .prepare(sql)
          .all(...params) as never;
      pool ??= createPostgresPool(location, { max: 2 });
      return (await pool.query(inlineParameters(sql, params))).rows as never;
    },
    async close() {
      reader?.close();
      await pool?.end();
      await server.close();
      await database?.drop();
      rmSync(workingDir, { recursive: true, force: true });
    },
  };
}
