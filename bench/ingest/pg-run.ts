/**
 * bench:ingest on PostgreSQL: the same benchmark as run.ts (see bench/README.md), with the server
 * on a PostgreSQL database and the raw baseline a COPY of the same rows into the same database.
 *
 *   npm run bench:ingest:pg                                  # a throwaway cluster, durable settings
 *   BENCH_DATABASE_URL=postgresql://u:p@host/db npm run bench:ingest:pg   # an existing database
 *
 * The throwaway cluster keeps PostgreSQL's durable defaults (fsync, synchronous_commit on), as a
 * server acknowledging only committed spans needs.
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
  // BENCH_PG_SETTINGS="shared_buffers=1GB max_wal_size=8GB": server settings for the cluster.
  const settings = (process.env.BENCH_PG_SETTINGS ?? '').split(/\s+/).filter(Boolean);
  const cluster = await startThrowawayCluster(bin, { durable: true, settings });
  stop = cluster.stop;
  const admin = new pg.Client(cluster.url);
  await admin.connect();
  await admin.query('CREATE DATABASE fawkes_bench');
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = '/fawkes_bench';
  process.env.BENCH_DATABASE_URL = url.toString();
  console.log(
    `PostgreSQL: throwaway cluster at ${url.host} (durable settings${settings.length ? `; ${settings.join(', ')}` : ''})`,
  );
}
try {
  await import('./run.js');
} finally {
  await stop?.();
}
