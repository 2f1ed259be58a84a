import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import BetterSqlite3 from 'better-sqlite3';
import pl from 'nodejs-polars';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { phoenixRows } from '../../test-support/launch-span-rows.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { hexId } from '../../test-support/span-records.js';
import { PortInUseError } from '../server/create-server.js';
import { activeSession, closeApp, launchApp } from './launch-app.js';
import { SpanEvaluations } from './span-evaluations.js';
import { spansDataframe } from './spans-dataframe.js';
import { TraceDataset } from './trace-dataset.js';

const free = { port: 0, grpcPort: 0, quiet: true } as const;

afterEach(async () => {
  await closeApp();
});
afterAll(async () => {
  // Vitest ends its workers without an 'exit' event, so the temporary directory is removed here.
  const session = await launchApp(free);
  await session.close({ deleteData: true });
});

/** Binds `port` on 127.0.0.1 and lets it go: proves nothing holds it. */
async function bindAndRelease(port: number): Promise<void> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(port, '127.0.0.1', resolve),
  );
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

async function occupy(): Promise<{ port: number; server: Server }> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

function captureWarnings(): { warnings: Error[]; stop: () => void } {
  const warnings: Error[] = [];
  const listener = (w: Error) => warnings.push(w);
  process.on('warning', listener);
  return { warnings, stop: () => process.off('warning', listener) };
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('launchApp', () => {
  it('starts a server that answers at session.url and takes OTLP at once', async () => {
    const session = await launchApp(free);
    expect(session.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(session.tracesEndpoint).toBe(`${session.url}v1/traces`);
    expect(session.grpcEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(new URL('healthz', session.url))).text()).toBe('OK');
    const body = JsonTraceSerializer.serializeRequest(conversationTurn())!;
    const response = await fetch(session.tracesEndpoint, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(activeSession()).toBe(session);
  });

  it('keeps SQLite in a temporary directory, deleted with deleteData', async () => {
    const session = await launchApp(free);
    expect(session.workingDir.startsWith(tmpdir())).toBe(true);
    expect(session.databaseLocation).toBe(join(session.workingDir, 'fawkes.db'));
    expect(existsSync(session.databaseLocation)).toBe(true);
    await session.close({ deleteData: true });
    expect(existsSync(session.workingDir)).toBe(false);
  });

  it('returns the running session, with a warning, when called again (also while starting)', async () => {
    const { warnings, stop } = captureWarnings();
    try {
      const [first, concurrent] = await Promise.all([launchApp(free), launchApp({ ...free, port: 1 })]);
      const again = await launchApp({ ...free, port: 1 });
      expect(concurrent).toBe(first);
      expect(again).toBe(first);
      await nextTick();
      const ours = warnings.filter((w) => (w as NodeJS.ErrnoException).code === 'FAWKES_APP_ALREADY_RUNNING');
      expect(ours).toHaveLength(2);
      expect(ours[0]!.message).toBe(
        `An app is already running at ${first.url}: returning its session. To launch one with other options, await closeApp() first.`,
      );
      expect(ours[0]!.name).toBe('FawkesWarning');
    } finally {
      stop();
    }
  });

  it('closeApp() closes the session and frees both ports; a new launch gets a new session', async () => {
    const session = await launchApp(free);
    const httpPort = Number(new URL(session.url).port);
    const grpcPort = Number(new URL(session.grpcEndpoint).port);
    expect(await closeApp()).toBe(true);
    expect(session.active).toBe(false);
    expect(activeSession()).toBeUndefined();
    await bindAndRelease(httpPort);
    await bindAndRelease(grpcPort);
    await expect(session.getSpansDataframe()).rejects.toThrow('this session is closed');
    expect(await closeApp()).toBe(false);

    const next = await launchApp({ ...free, port: httpPort, grpcPort });
    expect(next).not.toBe(session);
    expect(next.url).toBe(session.url);
  });

  it('stores every span it acknowledged before close()', async () => {
    const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-launch-'));
    try {
      const session = await launchApp({ ...free, workingDir });
      const exports = Array.from({ length: 8 }, () =>
        fetch(session.tracesEndpoint, {
          method: 'POST',
          body: JsonTraceSerializer.serializeRequest(
            Array.from({ length: 50 }, () => conversationTurn()).flat(),
          )!,
          headers: { 'content-type': 'application/json' },
        }).then(
          (r) => r.status,
          () => 'refused',
        ),
      );
      await Promise.race(exports);
      await session.close();
      const statuses = await Promise.all(exports);
      expect(statuses.every((s) => s === 200 || s === 'refused')).toBe(true);
      const db = new BetterSqlite3(join(workingDir, 'fawkes.db'), { readonly: true });
      const { n } = db.prepare('SELECT count(*) AS n FROM spans').get() as { n: number };
      db.close();
      expect(n).toBe(statuses.filter((s) => s === 200).length * 150);
    } finally {
      rmSync(workingDir, { recursive: true, force: true });
    }
  });

  it('names the taken HTTP port and how to choose another, and leaves nothing running', async () => {
    const taken = await occupy();
    try {
      const error = await launchApp({ ...free, port: taken.port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `HTTP port ${taken.port} on 127.0.0.1 is already in use: choose another with launchApp({ port }) or ` +
          'PHOENIX_PORT (0 picks a free port). Is another Fawkes or Phoenix running? closeApp() stops the one ' +
          'this process started.',
      );
      expect(activeSession()).toBeUndefined();
    } finally {
      taken.server.close();
    }
  });

  it('names the taken gRPC port, and frees the HTTP port it had already bound', async () => {
    const taken = await occupy();
    const http = await occupy();
    const httpPort = http.port;
    http.server.close();
    try {
      const error = await launchApp({ ...free, port: httpPort, grpcPort: taken.port }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toContain(
        `gRPC port ${taken.port} on 127.0.0.1 is already in use: choose another with launchApp({ grpcPort }) or PHOENIX_GRPC_PORT`,
      );
      await bindAndRelease(httpPort);
      expect(activeSession()).toBeUndefined();
    } finally {
      taken.server.close();
    }
  });

  it('view() is an inline frame that Jupyter kernels display', async () => {
    const session = await launchApp(free);
    const frame = session.view();
    const html = `<iframe width="100%" height="1000" src="${session.url}" frameborder="0" allowfullscreen></iframe>`;
    expect(frame.html).toBe(html);
    expect(String(frame)).toBe(html);
    const display = (frame as unknown as Record<symbol, () => Record<string, string>>)[
      Symbol.for('Jupyter.display')
    ]!;
    expect(display.call(frame)).toEqual({ 'text/html': html, 'text/plain': session.url });
    expect(session.view({ height: 600, slug: '/projects' }).html).toBe(
      `<iframe width="100%" height="600" src="${session.url}projects" frameborder="0" allowfullscreen></iframe>`,
    );
  });

  it('has no exports until the UI writes some, then lists them oldest first', async () => {
    const session = await launchApp(free);
    expect(session.exports).toEqual([]);
    const exportsDir = join(session.workingDir, 'exports');
    mkdirSync(exportsDir, { recursive: true });
    pl.DataFrame({ cluster: [2] }).writeParquet(join(exportsDir, 'b.parquet'));
    utimesSync(join(exportsDir, 'b.parquet'), new Date(2_000_000), new Date(2_000_000));
    pl.DataFrame({ cluster: [1] }).writeParquet(join(exportsDir, 'a.parquet'));
    utimesSync(join(exportsDir, 'a.parquet'), new Date(1_000_000), new Date(1_000_000));
    expect(session.exports.map((df) => df.getColumn('cluster').toArray())).toEqual([[1], [2]]);
    expect(session.exports.at(-1)).toBe(session.exports.at(-1));
    await session.close({ deleteData: true });
  });
});

describe('launchApp and PHOENIX_COLLECTOR_ENDPOINT', () => {
  const saved = process.env.PHOENIX_COLLECTOR_ENDPOINT;
  afterEach(() => {
    if (saved === undefined) delete process.env.PHOENIX_COLLECTOR_ENDPOINT;
    else process.env.PHOENIX_COLLECTOR_ENDPOINT = saved;
  });

  it('warns when it points elsewhere, not when it points at the app', async () => {
    const { warnings, stop } = captureWarnings();
    try {
      process.env.PHOENIX_COLLECTOR_ENDPOINT = 'http://collector.example:6006';
      const session = await launchApp(free);
      await nextTick();
      const elsewhere = warnings.filter(
        (w) => (w as NodeJS.ErrnoException).code === 'FAWKES_COLLECTOR_ENDPOINT_ELSEWHERE',
      );
      expect(elsewhere.map((w) => w.message)).toEqual([
        `PHOENIX_COLLECTOR_ENDPOINT is http://collector.example:6006: instrumentation that reads it sends spans there, not to this app (${session.url})`,
      ]);
      await closeApp();
      process.env.PHOENIX_COLLECTOR_ENDPOINT = `http://localhost:${new URL(session.url).port}`;
      await launchApp({ ...free, port: Number(new URL(session.url).port) });
      await nextTick();
      expect(
        warnings.filter((w) => (w as NodeJS.ErrnoException).code === 'FAWKES_COLLECTOR_ENDPOINT_ELSEWHERE'),
      ).toHaveLength(1);
    } finally {
      stop();
    }
  });
});

describe('launchApp with a bad trace dataset', () => {
  it('fails before opening any port and leaves nothing running', async () => {
    const rows = phoenixRows(conversationTurn());
    rows[1]!.end_time = 1;
    const trace = new TraceDataset({ dataframe: spansDataframe(rows), name: 'broken' });
    const taken = await occupy();
    taken.server.close();
    await expect(launchApp({ ...free, port: taken.port, trace })).rejects.toThrow(
      /^Span row 1 \(context\.span_id "[0-9a-f]{16}"\): end_time is before start_time/,
    );
    expect(activeSession()).toBeUndefined();
    await bindAndRelease(taken.port);

    const spans = spansDataframe(phoenixRows(conversationTurn()));
    const notes = new SpanEvaluations({
      evalName: 'note',
      dataframe: pl.DataFrame({
        span_id: [spans.getColumn('context.span_id').toArray()[0]],
        explanation: ['hi'],
      }),
    });
    await expect(
      launchApp({ ...free, trace: new TraceDataset({ dataframe: spans, evaluations: [notes] }) }),
    ).rejects.toThrow("evaluations cannot be named 'note'");
  });
});

describe('launchApp with a large trace dataset', () => {
  it('loads it in several requests, splitting the big ones, all queryable at once', async () => {
    const start = 1_700_000_000_000_000;
    const blob = 'x'.repeat(1024 * 1024);
    const rows = Array.from({ length: 4500 }, (_, i) => ({
      'context.span_id': hexId(8),
      'context.trace_id': hexId(16),
      parent_id: null,
      name: `span ${i}`,
      span_kind: 'CHAIN',
      start_time: start + i,
      end_time: start + i + 10,
      status_code: 'OK',
      status_message: '',
      events: [],
      'attributes.blob': i < 20 ? blob : null,
    }));
    const trace = new TraceDataset({ dataframe: spansDataframe(rows) });
    const session = await launchApp({ ...free, trace });
    const spans = await session.getSpansDataframe({ limit: null });
    expect(spans.height).toBe(4500);
    const blobs = await session.getSpansDataframe({
      filterCondition: "attributes['blob'] is not None",
      limit: null,
    });
    expect(blobs.height).toBe(20);
  }, 60_000);
});
