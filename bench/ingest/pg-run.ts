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
import { runOnPostgres } from '../pg-cluster.js';

// BENCH_PG_SETTINGS="shared_buffers=1GB max_wal_size=8GB": server settings for the cluster.
const settings = (process.env.BENCH_PG_SETTINGS ?? '').split(/\s+/).filter(Boolean);
await runOnPostgres({ database: 'fawkes_bench', settings }, () => import('./run.js'));
