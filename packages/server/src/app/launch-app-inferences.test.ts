import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inferences } from '@fawkes/inferences';
import pl from 'nodejs-polars';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureSet } from '../testing/inference-fixtures.js';
import { activeSession, closeApp, type LaunchAppOptions, LaunchError, launchApp } from './launch-app.js';

const free = { port: 0, grpcPort: 0, quiet: true } as const;

let primary: Inferences;
let reference: Inferences;
const dirs: string[] = [];
const _tempDir = () => {
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
async function _inferencesOf(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL('v1/inferences', url));
  return {
    status: response.status,
    body: response.status === 200 ? await response.json() : await response.text(),
  };
}

/** The launch fails with a LaunchError whose message matches, and nothing listens on `port`. */
async function refused(options: LaunchAppOptions, message: RegExp) {
  const port = await freePort();
  const error = await launchApp({ ...options, port, grpcPort: 0, quiet: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LaunchError);
  expect((error as Error).message).toMatch(message);
  expect(activeSession()).toBeUndefined();
  // The port was never opened.
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) =>
    probe.once('error', reject).listen(port, '127.0.0.1', resolve),
  );
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

describe('launchApp with inference sets', () => {
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
