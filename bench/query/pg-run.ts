/**
 * bench:query on PostgreSQL: run.ts with the data set on a PostgreSQL database (BENCH_DATABASE_URL,
 * else a throwaway cluster with durable settings).
 *
 *   npm run bench:query:pg
 *   BENCH_QUERY_SIZES=100000 npm run bench:query:pg
 */
import { runOnPostgres } from '../pg-cluster.js';

await runOnPostgres({ database: 'fawkes_bench_query' }, () => import('./run.js'));
