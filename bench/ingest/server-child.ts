/**
 * The server under test, in its own process (compiled code from dist/), so that its event-loop
 * delay and memory are measured apart from the load generator's. Speaks to run.ts over IPC.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServer, resolveConfig } from '../../packages/server/dist/index.js';

const workingDir = process.argv[2]!;
// BENCH_DATABASE_URL: PostgreSQL (pg-run.ts) instead of SQLite in the working directory.
const databaseUrl = process.env.BENCH_DATABASE_URL;
// FAWKES_RETENTION_INTERVAL_SECONDS: set by bench/retention/run.ts (the sweeper's pace).
// BENCH_AUTH=1: authentication on; the load generator sends a system API key (made here) as a bearer token.
const ADMIN_SECRET = 'bench-admin-secret-0123456789-abcdefghij';
const auth = process.env.BENCH_AUTH === '1';
const env = {
  FAWKES_RETENTION_INTERVAL_SECONDS: process.env.FAWKES_RETENTION_INTERVAL_SECONDS,
  ...(auth
    ? {
        PHOENIX_ENABLE_AUTH: 'true',
        PHOENIX_SECRET: 'bench-secret-0123456789-abcdefghijklmnop',
        PHOENIX_ADMIN_SECRET: ADMIN_SECRET,
      }
    : {}),
};
const server = await createServer(resolveConfig({ port: 0, grpcPort: 0, workingDir, databaseUrl }, env));
/**
 * This process's peak resident memory. Not resourceUsage().maxRSS: Linux keeps that across exec,
 * so it counts the load generator's memory at the moment it forked this process (its pre-encoded
 * requests: gigabytes in a long run). VmHWM starts over with the new program.
 */
function peakRssMiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {}
  return process.resourceUsage().maxRSS / 1024;
}

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();

/**
 * BENCH_MEMORY_LOG=1: every second, one line on stderr with the process's resident memory split
 * (anonymous / file-backed, from /proc/self/status) and the main thread's V8 figures, to find what
 * grows during a long run.
 */
if (process.env.BENCH_MEMORY_LOG === '1') {
  const started = performance.now();
  const kB = (status: string, name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0);
  setInterval(() => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = process.memoryUsage();
    const mib = (b: number) => (b / 1048576).toFixed(0);
    console.error(
      `memory t=${((performance.now() - started) / 1000).toFixed(0)}s rss=${(kB(status, 'VmRSS') / 1024).toFixed(0)} ` +
        `anon=${(kB(status, 'RssAnon') / 1024).toFixed(0)} file=${(kB(status, 'RssFile') / 1024).toFixed(0)} ` +
        `hwm=${(kB(status, 'VmHWM') / 1024).toFixed(0)} main: heap=${mib(m.heapUsed)}/${mib(m.heapTotal)} ` +
        `external=${mib(m.external)} arrayBuffers=${mib(m.arrayBuffers)} MiB`,
    );
  }, 1000).unref();
}

process.on('message', async (message: string) => {
  if (message === 'reset') {
    loop.reset();
    process.send!({ type: 'reset' });
  } else if (message === 'stats') {
    process.send!({
      type: 'stats',
      eventLoopMaxMs: loop.max / 1e6,
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      peakRssMiB: peakRssMiB(),
      cpuMicros: process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime,
    });
  } else if (message === 'stop') {
    await server.close();
    process.send!({ type: 'stopped' }, () => process.exit(0));
  }
});
async function systemApiKey(): Promise<string> {
  const response = await fetch(`${server.url}/v1/system/api_keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ data: { name: 'bench' } }),
  });
  if (response.status !== 201) throw new Error(`creating the bench's API key: ${response.status}`);
  return ((await response.json()) as { data: { key: string } }).data.key;
}

process.send!({ type: 'ready', url: server.url, apiKey: auth ? await systemApiKey() : undefined });
