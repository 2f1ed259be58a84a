/**
 * The server under test in its own process (bench/ingest/server-child.ts, compiled code from
 * dist/), so that its event loop, memory and CPU are measured apart from the benchmark's own.
 * BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (or `--perf-basic-prof`) profiles it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** apiKey: with BENCH_AUTH=1 the server has authentication on, and this key is its credential. */
export function startBenchServer(
  workingDir: string,
): Promise<{ child: ChildProcess; url: string; apiKey?: string }> {
  const child = fork(fileURLToPath(new URL('./ingest/server-child.ts', import.meta.url)), [workingDir], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    child.on('message', (m: { type: string; url?: string; apiKey?: string }) => {
      if (m.type === 'ready') resolve({ child, url: m.url!, ...(m.apiKey ? { apiKey: m.apiKey } : {}) });
    });
  });
}
