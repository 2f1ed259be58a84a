import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cliSource = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `fawkes …` from the TypeScript sources in a child process, with a clean environment. */
export function spawnCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cliSource, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Waits for `fawkes serve` to print where it listens; returns the HTTP base URL. */
export async function waitForListening(cli: CliProcess, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /UI and REST API\s+(http:\/\/\S+)/.exec(cli.output());
    if (match && /OTLP\/gRPC/.test(cli.output())) return match[1]!;
    if (cli.child.exitCode !== null) throw new Error(`fawkes exited early:\n${cli.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fawkes did not start in ${timeoutMs} ms:\n${cli.output()}`);
}
