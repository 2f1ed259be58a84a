#!/usr/bin/env node
// `npm start`: builds what changed since the last build (nothing, on a built tree), then runs the
// `fawkes` command with the given arguments (`npm start` passes `serve`).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { staleBuilds } from './build-state.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const steps = {
  typescript: ['exec', '--', 'tsc', '-b'],
  ui: ['run', 'build', '-w', '@fawkes/ui'],
};
for (const build of staleBuilds(root)) {
  console.error(
    `fawkes: building ${build === 'ui' ? 'the web UI' : 'the TypeScript packages'} (sources changed)`,
  );
  execFileSync(npm, steps[build], { cwd: root, stdio: 'inherit' });
}
await import('../packages/server/bin/fawkes.js');
