import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type DialectTestServer,
  describeEachDialect,
  startDialectTestServer,
} from '../../test-support/dialects.js';
import { ConfigError, resolveConfig } from './config.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  route?: string;
  url?: string;
  statusCode?: number;
  err?: { message: string; stack: string };
}

const readLines = (file: string): LogLine[] => {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LogLine);
};

describeEachDialect('the HTTP log', (dialect) => {
  let dir: string;
  let quiet: DialectTestServer;
  let verbose: DialectTestServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fawkes-log-'));
    quiet = await startDialectTestServer(dialect, { logFile: join(dir, 'quiet.log') });
    verbose = await startDialectTestServer(dialect, { logFile: join(dir, 'verbose.log'), accessLog: true });
  });
  afterAll(async () => {
    await quiet?.close();
    await verbose?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs a 500 with its request id, route and error; the answer carries no internals', async () => {
    await fetch(`${quiet.server.url}/healthz`);
    // A real fault: the table the route reads is gone.
    await sql`alter table projects rename to projects_gone`.execute(quiet.store.db);
    try {
      const response = await fetch(`${quiet.server.url}/v1/projects?limit=5`);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('Internal Server Error');
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      const line = await vi.waitFor(
        () => {
          const found = readLines(join(dir, 'quiet.log')).find((l) => l.statusCode === 500);
          if (!found) throw new Error('no 500 logged yet');
          return found;
        },
        { timeout: 10_000 },
      );
      expect(line).toMatchObject({
        level: 50,
        msg: 'request failed',
        reqId: requestId,
        route: '/v1/projects',
        url: '/v1/projects?limit=5',
      });
      expect(line.err?.message).toMatch(/projects/);
      expect(line.err?.stack).toMatch(/\n\s+at /);
      // Without the access log, the 200 before it left no line.
      expect(readLines(join(dir, 'quiet.log')).filter((l) => l.statusCode !== 500)).toEqual([]);
    } finally {
      await sql`alter table projects_gone rename to projects`.execute(quiet.store.db);
    }
  });

  it("keeps a caller's x-request-id", async () => {
    const response = await fetch(`${quiet.server.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
  });

  it('with the access log, writes one line per request', async () => {
    const response = await fetch(`${verbose.server.url}/v1/projects?limit=1`);
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const lines = await vi.waitFor(
      () => {
        const found = readLines(join(dir, 'verbose.log')).filter((l) => l.reqId === requestId);
        if (found.length === 0) throw new Error('no access line yet');
        return found;
      },
      { timeout: 10_000 },
    );
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request answered',
        route: '/v1/projects',
        url: '/v1/projects?limit=1',
        statusCode: 200,
      }),
    ]);
  });
});

describe('log settings', () => {
  it('FAWKES_ACCESS_LOG and --access-log switch the access log; FAWKES_LOG_FILE names the file', () => {
    expect(resolveConfig({}, {}).accessLog).toBe(false);
    expect(resolveConfig({}, { FAWKES_ACCESS_LOG: '1' }).accessLog).toBe(true);
    expect(resolveConfig({}, { FAWKES_ACCESS_LOG: 'off' }).accessLog).toBe(false);
    expect(resolveConfig({ accessLog: true }, {}).accessLog).toBe(true);
    expect(resolveConfig({}, { FAWKES_LOG_FILE: '/tmp/x.log' }).logFile).toBe('/tmp/x.log');
    expect(resolveConfig({}, {}).logFile).toBeUndefined();
    expect(() => resolveConfig({}, { FAWKES_ACCESS_LOG: 'maybe' })).toThrow(ConfigError);
  });
});
