import type pg from 'pg';

/** Attempts at a transaction that PostgreSQL aborted because of another writer (deadlock, ...). */
export const MAX_ATTEMPTS = 5;
/**
 * deadlock_detected, serialization_failure, unique_violation (a concurrent insert of the same key),
 * foreign_key_violation (a row referenced was deleted concurrently, e.g. a session by the REST API).
 */
const RETRYABLE = new Set(['40P01', '40001', '23505', '23503']);

export const isRetryable = (error: unknown) => RETRYABLE.has((error as { code?: string }).code ?? '');

/**
 * The connection was lost or the server shut it (restart, failover, pg_terminate_backend): the
 * transaction did not commit, or (lost during COMMIT) its outcome is unknown.
 */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  if (/^(08|57P0)/.test(code) || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code))
    return true;
  return (
    error instanceof Error && /Connection terminated|connection ended|not queryable/i.test(error.message)
  );
}

/**
 * The connection to PostgreSQL was lost on every attempt (server down, restarting, or killing
 * connections): nothing of the work committed, and trying again later may succeed.
 */
export class ConnectionLostError extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Lost the connection to PostgreSQL on ${attempts} attempts in a row (last: ${reason})`, { cause });
    this.name = 'ConnectionLostError';
  }
}

export interface TransactionOptions {
  /** Called before each new attempt. */
  onRetry?: () => void;
  /**
   * Also start over on a new connection when the connection is lost: only for work that is
   * idempotent, since a loss during COMMIT leaves its outcome unknown (the span writer is: a span
   * stored by the lost attempt counts as a duplicate in the next).
   */
  retryConnectionLoss?: boolean;
}

/**
 * Runs `work` in a transaction on a pooled connection; when PostgreSQL aborts it because of another
 * transaction (a deadlock, say), runs it again from the start, MAX_ATTEMPTS times at most. With
 * `retryConnectionLoss`, a connection lost on every attempt ends in a ConnectionLostError.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  /** `attempt`: 1, then 2… when it starts over. */
  work: (client: pg.PoolClient, attempt: number) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      const result = await work(client, attempt);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client?.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      const lost = options.retryConnectionLoss === true && isConnectionLoss(error);
      if (attempt < MAX_ATTEMPTS && (lost || isRetryable(error))) {
        options.onRetry?.();
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt + (lost ? 100 : 0)));
        continue;
      }
      throw lost ? new ConnectionLostError(attempt, error) : error;
    } finally {
      client?.release(broken);
    }
  }
}
