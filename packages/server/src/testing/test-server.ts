import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import { type ConfigFlags, resolveConfig, type ServerConfig } from '../server/config.js';
import { createServer, type FawkesServer } from '../server/create-server.js';
import { createPostgresPool } from '../store/postgres/pool.js';
import type { SqlDialect } from '../store/schema.js';
import { createTestPostgresDatabase } from './postgres.js';

export interface TestServer {
  server: FawkesServer;
  workingDir: string;
  dialect: SqlDialect;
  /** A read-only connection to the server's SQLite file, to assert on what was stored (SQLite only). */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /**
   * What was stored, on either dialect: SQL with `?` placeholders (written for both dialects); rows
   * as the store returns them (instants and counts as numbers, JSON columns as text).
   */
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
  let reader: BetterSqlite3.Database | undefined;
  let pool: pg.Pool | undefined;
  const sqlite = () => {
    if (config.database.dialect !== 'sqlite') throw new Error('query() reads SQLite only: use select()');
    reader ??= new BetterSqlite3(config.database.path, { readonly: true });
    return reader;
  };
  return {
    server,
    workingDir,
    dialect,
    query(sql, ...params) {
      return sqlite()
        .prepare(sql)
        .all(...params) as never;
    },
    async select(sql, ...params) {
      if (config.database.dialect === 'sqlite')
        return sqlite()
          .prepare(sql)
          .all(...params) as never;
      pool ??= createPostgresPool(config.database, { max: 2 });
      let n = 0;
      const { rows } = await pool.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      );
      return rows as never;
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
