import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inferences } from '@fawkes/inferences';
import pl from 'nodejs-polars';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureSet } from '../../test-support/inference-fixtures.js';
import { phoenixRows } from '../../test-support/launch-span-rows.js';
import { conversationTurn } from '../../test-support/otel-spans.js';
import { sendSpans } from '../../test-support/rest-client.js';
import { PortInUseError } from '../server/create-server.js';
import { activeSession, closeApp, type LaunchAppOptions, LaunchError, launchApp } from './launch-app.js';
import { spansDataframe } from './spans-dataframe.js';
import { TraceDataset } from './trace-dataset.js';

const free = { port: 0, grpcPort: 0, quiet: true } as const;

let primary: Inferences;
let reference: Inferences;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-launch-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  [primary, reference] = await Promise.all([
    loadFixtureSet('tabular', 'primary'),
    loadFixtureSet('tabular', 'reference'),
  ]);
});
afterEach(async () => {
  await closeApp();
});
afterAll(async () => {
  const session = await launchApp(free);
  await session.close({ deleteData: true });
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// biome-ignore lint/suspicious/noExplicitAny: the test reads whatever the server answered.
async function inferencesOf(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL('v1/inferences', url));
  return {
    status: response.status,
    body: response.status === 200 ? await response.json() : await response.text(),
  };
}

/** Nothing listens on `port` (on 127.0.0.1). */
async function expectFree(port: number): Promise<void> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) =>
    probe.once('error', reject).listen(port, '127.0.0.1', resolve),
  );
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

/** The launch fails with a LaunchError whose message matches, and nothing listens on `port`. */
async function refused(options: LaunchAppOptions, message: RegExp) {
  const port = await freePort();
  const error = await launchApp({ ...options, port, grpcPort: 0, quiet: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LaunchError);
  expect((error as Error).message).toMatch(message);
  expect(activeSession()).toBeUndefined();
  await expectFree(port);
}

describe('launchApp with inference sets', () => {
  it('serves primary and reference at /v1/inferences, beside the traces', async () => {
    const session = await launchApp({ primary, reference, ...free });
    const { status, body } = await inferencesOf(session.url);
    expect(status).toBe(200);
    expect(body.data.primary).toMatchObject({ name: 'primary', row_count: 2000 });
    expect(body.data.reference).toMatchObject({ name: 'reference', row_count: 3000 });
    await sendSpans(session.url.replace(/\/$/, ''), conversationTurn());
    expect((await session.getSpansDataframe()).height).toBeGreaterThan(0);
  });

  it("takes Phoenix's positional form launchApp(primary, reference, options)", async () => {
    const session = await launchApp(primary, reference, {
      ...free,
      defaultUmapParameters: { nSamples: 100 },
    });
    const { body } = await inferencesOf(session.url);
    expect(body.data.primary.name).toBe('primary');
    expect(body.data.reference.name).toBe('reference');
    expect(body.data.default_umap_parameters).toEqual({ min_dist: 0, n_neighbors: 30, n_samples: 100 });
    await session.close();

    const alone = await launchApp(primary, undefined, free);
    expect((await inferencesOf(alone.url)).body.data.reference).toBeNull();
  });

  it('refuses what is not an Inferences, naming the option, before opening any port', async () => {
    const frame = pl.DataFrame({ a: [1, 2] });
    await refused(
      { primary: frame as never },
      /^primary must be an Inferences \(new Inferences.*got a DataFrame/,
    );
    await refused(
      { primary, reference: [{ a: 1 }] as never },
      /reference must be an Inferences.*got an array/,
    );
    await expect(launchApp(frame as never, undefined, free)).rejects.toThrow(/first argument is a DataFrame/);
    await expect(launchApp(frame as never)).rejects.toThrow(/options must be an object, got a DataFrame/);
    await expect(launchApp(primary, primary, { ...free, primary })).rejects.toThrow(/not both/);
    await expect(launchApp(primary, 'reference' as never, free)).rejects.toThrow(
      /reference must be an Inferences/,
    );
  });

  it('refuses a reference or corpus without primary, and a corpus without documents', async () => {
    await refused({ reference }, /reference was given without primary/);
    await refused(
      { primary, corpus: reference },
      /corpus needs its documents' embedding.*documentColumnNames/,
    );
  });

  it('checks defaultUmapParameters as Phoenix does, listing every bad field with its range', async () => {
    await refused(
      { primary, defaultUmapParameters: { minDist: 1.5, nNeighbors: 200, nSamples: 0.5 } },
      /3 problems:\n- defaultUmapParameters\.minDist must be a number from 0 to 0\.99, got 1\.5\n- defaultUmapParameters\.nNeighbors must be a whole number from 5 to 100, got 200\n- defaultUmapParameters\.nSamples must be a whole number from 1 to 1000, got 0\.5/,
    );
    await refused(
      { defaultUmapParameters: { nNeighbors: 4 } },
      /nNeighbors must be a whole number from 5 to 100/,
    );
  });
});

describe('launchApp({ runInThread: false })', () => {
  it('runs the server in a child process that reads the sets from the working directory', async () => {
    const workingDir = tempDir();
    const session = await launchApp({ primary, reference, ...free, workingDir, runInThread: false });
    expect(
      JSON.parse(readFileSync(join(workingDir, 'inferences', 'primary', 'schema.json'), 'utf8')),
    ).toEqual(primary.schema.toJSON());
    expect(existsSync(join(workingDir, 'inferences', 'reference', 'data.parquet'))).toBe(true);
    const { status, body } = await inferencesOf(session.url);
    expect(status).toBe(200);
    // The child's sets are the ones written: same names, rows, time ranges and dimensions.
    expect(body.data.primary).toMatchObject({ name: 'primary', row_count: 2000 });
    expect(body.data.primary.start_time).toBe('2026-03-11T06:31:00+00:00');
    expect(body.data.reference).toMatchObject({ name: 'reference', row_count: 3000 });
    expect(body.data.dimensions.map((d: { name: string }) => d.name).sort()).toEqual(
      primary.scalarColumns.map((c) => c.name).sort(),
    );

    // Spans go to the child; the session reads them from the shared SQLite file.
    await sendSpans(session.url.replace(/\/$/, ''), conversationTurn());
    expect((await session.getSpansDataframe()).height).toBeGreaterThan(0);
    expect(session.databaseLocation).toBe(join(workingDir, 'fawkes.db'));

    const port = Number(new URL(session.url).port);
    await session.close();
    expect(existsSync(join(workingDir, 'inferences', 'primary'))).toBe(false);
    await expectFree(port);
  });

  it('preloads a trace dataset into the child, queryable at once', async () => {
    const rows = phoenixRows(conversationTurn());
    const trace = new TraceDataset({ dataframe: spansDataframe(rows) });
    // Its own working directory: the process's temporary one holds the other tests' spans.
    const session = await launchApp({ ...free, trace, runInThread: false, workingDir: tempDir() });
    expect((await session.getSpansDataframe()).height).toBe(rows.length);
  });

  it('serves traces only when given no sets, and names a taken port', async () => {
    const session = await launchApp({ ...free, runInThread: false });
    expect((await inferencesOf(session.url)).status).toBe(404);
    const port = Number(new URL(session.url).port);
    await session.close();

    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const error = await launchApp({ ...free, port, runInThread: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toMatch(
        new RegExp(`HTTP port ${port} .*already in use.*launchApp\\(\\{ port \\}\\)`),
      );
      expect(activeSession()).toBeUndefined();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
