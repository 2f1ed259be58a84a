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
