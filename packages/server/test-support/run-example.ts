/** Runs a file of examples/ as a newcomer would (`npx tsx examples/<file>`), against the sources, on free ports. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export type ExampleProcess = ChildProcessWithoutNullStreams & { output: () => string };

/** Its temporary files (and the app's data) go to `workingDir`, which is also its HOME. */
export function runExample(
  file: string,
  workingDir: string,
  env: Record<string, string> = {},
): ExampleProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join('examples', file)], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: workingDir,
      TMPDIR: workingDir,
      TSX_TSCONFIG_PATH: join(root, 'examples/tsconfig.json'),
      PHOENIX_PORT: '0',
      PHOENIX_GRPC_PORT: '0',
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return Object.assign(child, { output: () => output });
}

export const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => child.on('exit', resolve));
