import type pg from 'pg';

/** Attempts at a transaction that PostgreSQL aborted because of another writer (deadlock, ...). */
const MAX_ATTEMPTS = 5;
/** deadlock_detected, serialization_failure, unique_violation (a concurrent insert of the same key). */
const RETRYABLE = new Set(['40P01', '40001', '23505']);

export const isRetryable = (error: unknown) => RETRYABLE.has((error as { code?: string }).code ?? '');

/**
 * Runs `work` in a transaction on a pooled connection; when PostgreSQL aborts it because of another
 * transaction (a deadlock, say), runs it again from the start, a few times at most. `onRetry` counts.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  onRetry: () => void = () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
        onRetry();
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
        continue;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
