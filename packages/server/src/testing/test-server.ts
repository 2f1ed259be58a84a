import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type ConfigFlags, resolveConfig, type ServerConfig } from '../server/config.js';
import { createServer, type FawkesServer } from '../server/create-server.js';

export interface TestServer {
  server: FawkesServer;
  workingDir: string;
  /** A read-only connection to the server's SQLite file, to assert on what was stored. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  close(): Promise<void>;
}

/** A real server on free ports, SQLite in a fresh temporary directory. */
export async function startTestServer(
  flags: ConfigFlags = {},
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-test-'));
  const config = { ...resolveConfig({ port: 0, grpcPort: 0, workingDir, ...flags }, {}), ...overrides };
  const server = await createServer(config);
  let reader: BetterSqlite3.Database | undefined;
  return {
    server,
    workingDir,
    query(sql, ...params) {
      if (config.database.dialect !== 'sqlite') throw new Error('query() reads SQLite only');
      reader ??= new BetterSqlite3(config.database.path, { readonly: true });
      return reader.prepare(sql).all(...params) as never;
    },
    async close() {
      reader?.close();
      await server.close();
      rmSync(workingDir, { recursive: true, force: true });
    },
  };
}
