import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { conversationTurn } from '../test-support/otel-spans.js';
import { spawnCli, waitForListening } from '../test-support/spawn-cli.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-cli-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const countSpans = (dir: string) => {
  const db = new BetterSqlite3(join(dir, 'fawkes.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM spans').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('fawkes CLI', () => {
  it('documents every option in --help', async () => {
    const cli = spawnCli(['serve', '--help']);
    expect(await cli.exited).toBe(0);
    for (const option of [
      '--host',
      '--port',
      '--grpc-port',
      '--working-dir',
      '--database-url',
      '--project-name',
    ]) {
      expect(cli.output()).toContain(option);
    }
    for (const variable of ['PHOENIX_HOST', 'PHOENIX_PORT', 'PHOENIX_GRPC_PORT', 'PHOENIX_WORKING_DIR']) {
      expect(cli.output()).toContain(variable);
    }
  });

  it('prints its version', async () => {
    const cli = spawnCli(['--version']);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/^\d+\.\d+\.\d+ \(Phoenix API 20\.3\.0\)/);
  });

  it('says in one line that a port is in use', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cli = spawnCli(['serve', '--port', String(port), '--grpc-port', '0', '--working-dir', tempDir()]);
      expect(await cli.exited).toBe(1);
      expect(cli.output().trim()).toBe(
        `fawkes: HTTP port ${port} on 127.0.0.1 is already in use: choose another with --port or PHOENIX_PORT`,
      );
    } finally {
      blocker.close();
    }
  });

  it('rejects a bad port value clearly', async () => {
    const cli = spawnCli(['serve', '--working-dir', tempDir()], { PHOENIX_PORT: 'sixty' });
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(
      "port (--port / PHOENIX_PORT) must be a whole number from 0 to 65535, got 'sixty'",
    );
  });

  it('honours PHOENIX_* variables, then stores everything accepted and exits 0 on SIGTERM', async () => {
    const dir = tempDir();
    const cli = spawnCli(['serve'], { PHOENIX_WORKING_DIR: dir, PHOENIX_PORT: '0', PHOENIX_GRPC_PORT: '0' });
    const url = await waitForListening(cli);
    expect(cli.output()).toContain(join(dir, 'fawkes.db'));
    const sends = Array.from({ length: 20 }, () =>
      fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: ProtobufTraceSerializer.serializeRequest(conversationTurn())!,
      }),
    );
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(countSpans(dir)).toBe(60);
    expect(cli.output()).toContain('Stopped.');
  });
});

describe('durability', () => {
  it('keeps every acknowledged span when the server is killed (SIGKILL) in the middle of a load', async () => {
    const dir = tempDir();
    const cli = spawnCli(['serve', '--port', '0', '--grpc-port', '0', '--working-dir', dir]);
    const url = await waitForListening(cli);
    const acknowledged = new Set<string>();
    let stop = false;
    const sender = async () => {
      while (!stop) {
        const spans = Array.from({ length: 10 }, () => conversationTurn({ sessionId: 'kill-test' })).flat();
        try {
          const response = await fetch(`${url}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf' },
            body: ProtobufTraceSerializer.serializeRequest(spans)!,
          });
          if (response.status === 200) for (const s of spans) acknowledged.add(s.spanContext().spanId);
        } catch {
          // The kill cut the connection: this request was not acknowledged.
        }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    // Killed in the middle of the load, once a good number of spans are acknowledged (however slow the machine).
    while (acknowledged.size < 300) await new Promise((r) => setTimeout(r, 10));
    cli.child.kill('SIGKILL');
    await cli.exited;
    stop = true;
    await Promise.all(senders);
    expect(acknowledged.size).toBeGreaterThanOrEqual(300);

    // Opening the file replays the write-ahead log, as a restarted server would.
    const db = new BetterSqlite3(join(dir, 'fawkes.db'));
    try {
      const stored = new Set(
        (db.prepare('SELECT span_id FROM spans').all() as { span_id: string }[]).map((r) => r.span_id),
      );
      const missing = [...acknowledged].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      const session = db
        .prepare("SELECT num_traces FROM project_sessions WHERE session_id = 'kill-test'")
        .get() as {
        num_traces: number;
      };
      const traces = db.prepare('SELECT count(*) AS n FROM traces').get() as { n: number };
      expect(session.num_traces).toBe(traces.n);
    } finally {
      db.close();
    }
    // and a restarted server starts on the same file
    const again = spawnCli(['serve', '--port', '0', '--grpc-port', '0', '--working-dir', dir]);
    await waitForListening(again);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
