import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { exited, runExample } from '../../test-support/run-example.js';

const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-embeddings-example-test-'));
afterAll(() => rmSync(workingDir, { recursive: true, force: true }));

it('examples/embeddings.ts runs for a newcomer: Parquet files, point cloud, the drifted cluster exported and read back', async () => {
  const child = runExample('embeddings.ts', workingDir);
  const code = await exited(child);
  const output = child.output();
  expect(code, output).toBe(0);
  expect(output).toMatch(/Point cloud: 700 points in \d+ clusters/);
  const drifted = /Most drifted: cluster (\d+), e\.g\. "question \d+ about refunds"/.exec(output);
  expect(drifted, output).not.toBeNull();
  const size = new RegExp(`cluster ${drifted![1]}: (\\d+) points, drift ratio 1\\.00`).exec(output)![1];
  expect(output).toContain(`Exported ${size} rows to drifted-cluster`);
  expect(output).toContain(`session.exports.at(-1): ${size} rows, topics refunds\n`);
  expect(readdirSync(workingDir).filter((name) => name.startsWith('fawkes-embeddings-example-'))).toEqual([]);
}, 120_000);
