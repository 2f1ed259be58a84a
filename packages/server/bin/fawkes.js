#!/usr/bin/env node
// The `fawkes` command. npm links a workspace's bins before its `prepare` script builds dist/, so
// the link must point at a file that is in the repository: this one, which loads the built CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'fawkes: the server is not built yet (dist/cli.js is missing): run `npm run build` at the root of the repository',
  );
  process.exit(1);
}
await import(cli.href);
