import type pg from 'pg';

/** Who may sweep: one sweep at a time, wherever the servers sharing the database run. */
export interface SweepLock {
  /** Runs `work` holding the lock; resolves to null, without running it, while another holds it. */
  tryWith<T>(work: () => Promise<T>): Promise<T | null>;
}

/** SQLite: the writer thread's server is the only one on its file; one sweep at a time within it. */
export class InProcessSweepLock implements SweepLock {
  private held = false;

  async tryWith<T>(work: () => Promise<T>): Promise<T | null> {
    if (this.held) return null;
    this.held = true;
    try {
      return await work();
    } finally {
      this.held = false;
    }
  }
}

// One key per schema, so stores in different schemas of one database sweep independently.
const KEY = "hashtext(current_schema() || '.fawkes.retention-sweep')";

/**
 * PostgreSQL: a session-level advisory lock, held on a connection of its own for the whole sweep,
 * so that of several servers on one database only one sweeps at a time. Should the connection
 * die, PostgreSQL lets the lock go with it.
 */
export class PostgresSweepLock implements SweepLock {
  constructor(private readonly pool: pg.Pool) {}

  async tryWith<T>(work: () => Promise<T>): Promise<T | null> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(${KEY}) AS locked`,
      );
      if (!rows[0]!.locked) return null;
      try {
        return await work();
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${KEY})`).catch((error: Error) => {
          broken = error; // the connection is dropped, and the lock with it
        });
      }
    } finally {
      client.release(broken);
    }
  }
}
