import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-example-'));
afterAll(() => rmSync(workingDir, { recursive: true, force: true }));

it('examples/launch-app.ts runs for a newcomer: launches, traces, reads, filters, saves, exits', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/launch-app.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: workingDir,
      // Against the sources rather than the built package; free ports; datasets saved in a temp dir.
      TSX_TSCONFIG_PATH: join(root, 'examples/tsconfig.json'),
      PHOENIX_PORT: '0',
      PHOENIX_GRPC_PORT: '0',
      PHOENIX_WORKING_DIR: workingDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  expect(output).toContain('Fawkes is running: open http://127.0.0.1:');
  expect(output).toContain('6 spans:');
  expect(output).toContain('LLM calls with more than 12 tokens: 2');
  expect(output).toContain(
    'Questions asked: Does it work in a notebook? | Which wire protocol does it speak? | What is Fawkes?',
  );
  const id = /Saved trace dataset ([\w-]+)/.exec(output)?.[1];
  expect(readdirSync(join(workingDir, 'trace_datasets'))).toContain(`trace_dataset-${id}.parquet`);
  expect(code, output).toBe(0);
}, 60_000);
