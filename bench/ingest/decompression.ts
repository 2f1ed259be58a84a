/**
 * Decompression amplification (#16 item 1): rounds of 64 concurrent OTLP/HTTP requests, each a
 * ~64 KB gzip body that inflates to 64 MiB (the per-request limit), against a server in its own
 * process; its peak resident memory (VmHWM) and what each request was answered.
 * Run: npm run bench:ingest:decompression  (BENCH_ROUNDS=3 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBenchServer } from '../server-process.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const workingDir = mkdtempSync(join(tmpdir(), 'fawkes-bench-inflate-'));
const { child, url } = await startBenchServer(workingDir);

const ask = <T>(message: string, type: string) =>
  new Promise<T>((resolve) => {
    const listener = (m: { type: string } & T) => {
      if (m.type !== type) return;
      child.off('message', listener);
      resolve(m);
    };
    child.on('message', listener);
    child.send(message);
  });

const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
const statuses = new Map<number, number>();
const before = (await ask<{ peakRssMiB: number }>('stats', 'stats')).peakRssMiB;
const started = performance.now();
for (let round = 0; round < rounds; round++) {
  const answers = await Promise.all(
    Array.from({ length: concurrency }, () =>
      fetch(`${url}/v1/traces`, {
        method: 'POST',
        body: bomb,
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
      }).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
  for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
}
const seconds = (performance.now() - started) / 1000;
const after = await ask<{ peakRssMiB: number }>('stats', 'stats');
await ask('stop', 'stopped');
rmSync(workingDir, { recursive: true, force: true });

console.log(
  `body: ${(bomb.length / 1024).toFixed(0)} KB gzip → 64 MiB; ${rounds} rounds × ${concurrency} at once`,
);
console.log(`answers: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')} in ${seconds.toFixed(1)} s`);
console.log(`server peak RSS: ${before.toFixed(0)} MiB at start → ${after.peakRssMiB.toFixed(0)} MiB`);
