/**
 * bench:metrics on PostgreSQL: run.ts with the data set on a PostgreSQL database (BENCH_DATABASE_URL,
 * else a throwaway cluster with durable settings).
 *
 *   npm run bench:metrics:pg
 */
import { runOnPostgres } from '../pg-cluster.js';

await runOnPostgres({ database: 'fawkes_bench_metrics' }, () => import('./run.js'));
