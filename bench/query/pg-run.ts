/**
 * bench:query on PostgreSQL: run.ts with the data set on a PostgreSQL database (BENCH_DATABASE_URL,
 * else a throwaway cluster with durable settings).
 *
 *   npm run bench:query:pg
 *   BENCH_QUERY_SIZES=100000 npm run bench:query:pg
 */
import pg from 'pg';
import {
  findPostgresBinaries,
  startThrowawayCluster,
} from '../../packages/server/dist/testing/postgres-cluster.js';

let stop: (() => Promise<void>) | undefined;
if (!process.env.BENCH_DATABASE_URL) {
  const bin = findPostgresBinaries();
  if (!bin) throw new Error('PostgreSQL is not installed: install it or set BENCH_DATABASE_URL');
  const cluster = await startThrowawayCluster(bin, { durable: true });
  stop = cluster.stop;
  const admin = new pg.Client(cluster.url);
  await admin.connect();
  await admin.query('CREATE DATABASE fawkes_bench_query');
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = '/fawkes_bench_query';
  process.env.BENCH_DATABASE_URL = url.toString();
  console.log(`PostgreSQL: throwaway cluster at ${url.host} (durable settings)`);
}
try {
  await import('./run.js');
} finally {
  await stop?.();
}
