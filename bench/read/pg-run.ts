/**
 * bench:read on PostgreSQL: the same benchmark as run.ts, with the data set and the server on a
 * PostgreSQL database (BENCH_DATABASE_URL, else a throwaway cluster with durable settings).
 *
 *   npm run bench:read:pg
 *   BENCH_READ_SIZES=100000 npm run bench:read:pg
 */
import { runOnPostgres } from '../pg-cluster.js';

await runOnPostgres({ database: 'fawkes_bench' }, () => import('./run.js'));
