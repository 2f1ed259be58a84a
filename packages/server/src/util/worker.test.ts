import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './worker.js';

describe('workerExecArgv', () => {
  it("keeps the options that apply to a thread and drops the caller's entry point, loaders and debugger", () => {
    expect(
      workerExecArgv([
        '--input-type=module',
        '--eval',
        'code',
        '-e',
        'code',
        '--print',
        '--import',
        'tsx',
        '--require=./otel.js',
        '--loader',
        'ts-node/esm',
        '--inspect=9229',
        '--inspect-brk',
        '--test',
        '--watch',
        '--enable-source-maps',
        '--no-warnings',
        '--unhandled-rejections',
        'strict',
        '--cpu-prof-dir=/tmp/profiles',
        '--cpu-prof',
      ]),
    ).toEqual([
      '--enable-source-maps',
      '--no-warnings',
      '--unhandled-rejections',
      'strict',
      '--cpu-prof-dir=/tmp/profiles',
      '--cpu-prof',
    ]);
  });
});

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const built = join(repo, 'packages/server/dist/index.js');
const source = join(repo, 'packages/server/src/index.ts');
/** Launches the app (its writer, decoder and checkpointer threads), sends nothing, closes it. */
const script = (entry: string) =>
  `import { launchApp, closeApp } from ${JSON.stringify(entry)};
   const session = await launchApp({ port: 0, grpcPort: 0, quiet: true });
   const ready = await fetch(new URL('readyz', session.url));
   await closeApp();
   console.log('launched', ready.status);`;

describe('launchApp from every way of running Node', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-launch-'));
  const launched = expect.stringContaining('launched 200');

  it('node --input-type=module -e', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(built)]);
    expect(stdout).toEqual(launched);
  });

  it('node -e (CommonJS, dynamic import)', async () => {
    const code = `import(${JSON.stringify(built)}).then(async ({ launchApp, closeApp }) => {
      const session = await launchApp({ port: 0, grpcPort: 0, quiet: true });
      const ready = await fetch(new URL('readyz', session.url));
      await closeApp();
      console.log('launched', ready.status);
    });`;
    const { stdout } = await run(process.execPath, ['-e', code]);
    expect(stdout).toEqual(launched);
  });

  it('a plain .mjs file, with an --import loader and --enable-source-maps', async () => {
    const file = join(dir, 'launch.mjs');
    writeFileSync(file, script(built));
    const { stdout } = await run(process.execPath, ['--enable-source-maps', '--import', 'tsx', file], {
      cwd: repo,
    });
    expect(stdout).toEqual(launched);
  });

  it('tsx, from the TypeScript sources', async () => {
    const file = join(dir, 'launch.mts');
    writeFileSync(file, script(source));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: repo });
    expect(stdout).toEqual(launched);
  });

  it('vitest (this test process: its own loaders in execArgv)', async () => {
    const { launchApp, closeApp } = await import('../index.js');
    const session = await launchApp({ port: 0, grpcPort: 0, quiet: true });
    expect((await fetch(new URL('readyz', session.url))).status).toBe(200);
    await closeApp();
  });
});
