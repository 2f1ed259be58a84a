import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type ExampleProcess, exited, runExample } from '../../test-support/run-example.js';

const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-inferences-example-test-'));
afterAll(() => rmSync(workingDir, { recursive: true, force: true }));

/** Resolves once the output contains `text` (or rejects when the process exits first). */
function printed(child: ExampleProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!child.output().includes(text)) return;
      child.stdout.off('data', check);
      resolve();
    };
    child.stdout.on('data', check);
    child.on('exit', () => reject(new Error(`exited before printing '${text}':\n${child.output()}`)));
    check();
  });
}

it('examples/inferences.ts runs for a newcomer: Parquet files, Schema, launchApp, the drifted feature', async () => {
  const child = runExample('inferences.ts', workingDir);
  const code = await exited(child);
  const output = child.output();
  expect(code, output).toBe(0);
  expect(output).toContain('Fawkes is running: open http://127.0.0.1:');
  const table = output.slice(output.indexOf('Features, most drifted first'));
  const psi = Object.fromEntries(
    [...table.matchAll(/^ {2}(\w+) +PSI (\d+\.\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
  );
  expect(Object.keys(psi)).toEqual(['income', 'age', 'state']);
  expect(psi.income).toBeGreaterThan(0.1);
  expect(psi.age).toBeLessThan(0.1);
  expect(psi.state).toBeLessThan(0.1);
  const drift = /income drifted: PSI (\d+\.\d+).*mean (\d+) in training, (\d+) in production/.exec(output);
  expect(Number(drift?.[1])).toBe(psi.income);
  expect(Number(drift?.[3])).toBeGreaterThan(Number(drift?.[2]));
  expect(output).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/model\/dimensions\/income\n/);
  expect(output).toMatch(/Accuracy in production: 0\.\d{3}/);
  // The example cleans up after itself: its Parquet files are gone.
  expect(readdirSync(workingDir).filter((name) => name.startsWith('fawkes-inferences-example-'))).toEqual([]);
}, 60_000);

it('examples/inferences.ts with KEEP_OPEN=1 serves the dimension page and its PSI until Ctrl-C', async () => {
  const child = runExample('inferences.ts', workingDir, { KEEP_OPEN: '1' });
  const code = exited(child);
  try {
    await printed(child, 'KEEP_OPEN is set');
    const page = /Open (http:\S+\/model\/dimensions\/income)\n/.exec(child.output())![1]!;
    const response = await fetch(page);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const drift = await fetch(new URL('/v1/inferences/dimensions/income/drift?metric=psi', page));
    const { data } = (await drift.json()) as { data: { value: number } };
    expect(data.value.toFixed(3)).toBe(/income drifted: PSI (\d+\.\d+)/.exec(child.output())![1]);
  } finally {
    child.kill('SIGINT');
  }
  expect(await code, child.output()).toBe(0);
}, 60_000);
