/** The read benchmark's data set on PostgreSQL, through the PostgreSQL span writer. */
import { migratePostgres } from '../../packages/server/dist/store/postgres/migrate-postgres.js';
import { createPostgresPool } from '../../packages/server/dist/store/postgres/pool.js';
import { PostgresSpanWriter } from '../../packages/server/dist/store/postgres/span-writer.js';
import { session } from './dataset.js';
import type { BenchDataset } from './run.js';

export async function openPostgresDataset(url: string): Promise<BenchDataset> {
  await migratePostgres({ url });
  const pool = createPostgresPool({ url }, { max: 2, applicationName: 'fawkes-bench-read' });
  const writer = new PostgresSpanWriter(pool);
  return {
    async write(from, to) {
      let written = 0;
      let batch: ReturnType<typeof session> = [];
      const inFlight: Promise<void>[] = [];
      const flush = async (spans: typeof batch) => {
        const { inserted } = await writer.writeBatch(spans);
        written += inserted;
      };
      for (let s = from; s < to; s++) {
        batch.push(...session(s));
        if (batch.length >= 5000) {
          inFlight.push(flush(batch));
          batch = [];
          // Two transactions in flight, as the server's writer runs them.
          if (inFlight.length >= 2) await inFlight.shift();
        }
      }
      if (batch.length) inFlight.push(flush(batch));
      await Promise.all(inFlight);
      return written;
    },
    async analyze() {
      await pool.query('VACUUM ANALYZE');
    },
    close: () => pool.end(),
  };
}
