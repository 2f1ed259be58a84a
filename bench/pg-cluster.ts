/**
 * The PostgreSQL runs of the benchmarks (bench/{ingest,query,read}/pg-run.ts): BENCH_DATABASE_URL
 * when set, else a throwaway cluster with PostgreSQL's durable defaults (fsync, synchronous_commit
 * on), as a server acknowledging only committed data needs.
 */
import pg from 'pg';
import {
  findPostgresBinaries,
  startThrowawayCluster,
} from '../packages/server/test-support/postgres-cluster.ts';

export interface PostgresBenchOptions {
  /** The database created in a throwaway cluster (BENCH_DATABASE_URL is then set to it). */
  database: string;
  /** More `name=value` server settings of a throwaway cluster. */
  settings?: readonly string[];
}

/** Runs `benchmark` on BENCH_DATABASE_URL, or on a throwaway cluster stopped once it is done. */
export async function runOnPostgres(
  { database, settings = [] }: PostgresBenchOptions,
  benchmark: () => Promise<unknown>,
): Promise<void> {
  let stop: (() => Promise<void>) | undefined;
  if (!process.env.BENCH_DATABASE_URL) {
    const bin = findPostgresBinaries();
    if (!bin) throw new Error('PostgreSQL is not installed: install it or set BENCH_DATABASE_URL');
    const cluster = await startThrowawayCluster(bin, { durable: true, settings });
    stop = cluster.stop;
    const admin = new pg.Client(cluster.url);
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(cluster.url);
    url.pathname = `/${database}`;
    process.env.BENCH_DATABASE_URL = url.toString();
    console.log(
      `PostgreSQL: throwaway cluster at ${url.host} (durable settings${settings.length ? `; ${settings.join(', ')}` : ''})`,
    );
  }
  try {
    await benchmark();
  } finally {
    await stop?.();
  }
}
