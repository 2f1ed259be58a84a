/**
 * bench:server-start — `fawkes serve` on a fresh SQLite working directory, compiled code
 * (packages/server/dist/cli.js), as a user starts it: the time from spawn to the first 200 from
 * /healthz (polled every 10 ms), and the server's resident memory (VmRSS) after 5 s idle. Median
 * of BENCH_START_RUNS runs (default 5), each in a new directory. See bench/README.md.
 *
 *   npm run bench:server-start
 *   BENCH_START_RUNS=9 BENCH_START_IDLE_MS=5000 npm run bench:server-start
 *   BENCH_START_CLIS=/other/checkout/packages/server/dist/cli.js,packages/server/dist/cli.js \
 *     node --import tsx bench/server-start/run.ts   # A/B: the builds take turns, a median for each
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const IDLE_MS = Number(process.env.BENCH_START_IDLE_MS ?? 5000);
const CLIS = process.env.BENCH_START_CLIS?.split(',') ?? [
  fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url)),
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    })
      .on('error', () => resolve(false))
      .end();
  });
}

/** VmRSS of a process in MiB (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(cli: string): Promise<{ startMs: number; idleRssMiB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'fawkes-bench-start-'));
  const [port, grpcPort] = [await freePort(), await freePort()];
  let child: ChildProcess | undefined;
  try {
    const started = performance.now();
    child = spawn(
      process.execPath,
      [cli, 'serve', '--working-dir', dir, '--port', String(port), '--grpc-port', String(grpcPort)],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', (code) => reject(new Error(`fawkes serve exited (${code})`))),
    );
    exited.catch(() => {});
    while (!(await Promise.race([healthy(port), exited]))) await sleep(10);
    const startMs = performance.now() - started;
    await Promise.race([sleep(IDLE_MS), exited]);
    return { startMs, idleRssMiB: rssMiB(child.pid!) };
  } finally {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main() {
  const load = loadavg().map((l) => l.toFixed(2));
  const runs = new Map<string, { startMs: number; idleRssMiB: number }[]>(CLIS.map((c) => [c, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const cli of CLIS) {
      const r = await once(cli);
      console.log(
        `run ${i + 1} ${cli}: healthy after ${r.startMs.toFixed(0)} ms, idle RSS ${r.idleRssMiB.toFixed(1)} MiB`,
      );
      runs.get(cli)!.push(r);
    }
  }
  const loadAfter = loadavg().map((l) => l.toFixed(2));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    load_before: load,
    load_after: loadAfter,
    builds: [...runs].map(([cli, rs]) => ({
      cli,
      median_start_ms: Number(median(rs.map((r) => r.startMs)).toFixed(0)),
      median_idle_rss_mib: Number(median(rs.map((r) => r.idleRssMiB)).toFixed(1)),
      runs: rs,
    })),
  };
  for (const b of result.builds) {
    console.log(
      `${b.cli}: median of ${RUNS}: healthy after ${b.median_start_ms} ms, idle RSS ${b.median_idle_rss_mib} MiB`,
    );
  }
  console.log(`load ${load.join(' ')} → ${loadAfter.join(' ')}`);
  mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`../results/server-start-${result.date.slice(0, 19).replace(/:/g, '')}.json`, import.meta.url),
    `${JSON.stringify(result, null, 2)}\n`,
  );
}

await main();
