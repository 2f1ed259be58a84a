import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FallbackReader, SqliteReadPool } from './read-pool.js';

describe('SqliteReadPool', () => {
  let dir: string;
  let path: string;
  let pool: SqliteReadPool | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fawkes-read-pool-'));
    path = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);');
    db.close();
  });
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const mainThread = () => {
    const db = new BetterSqlite3(path, { readonly: true });
    const calls: string[] = [];
    const fallback: FallbackReader = async (sql, parameters) => {
      calls.push(sql);
      return db.prepare(sql).all(...parameters);
    };
    return { calls, fallback, close: () => db.close() };
  };

  it('starts no thread until the first query, and answers the first queries without waiting for one', async () => {
    const main = mainThread();
    pool = new SqliteReadPool(path, main.fallback);
    expect(pool.threads).toBe(0);
    // The threads are still starting: the server's connection answers.
    const rows = await pool.run('SELECT sum(x) AS s FROM t WHERE x > ?', [1]);
    expect(rows).toEqual([{ s: 5 }]);
    expect(pool.threads).toBe(2);
    expect(main.calls).toHaveLength(1);
    main.close();
  });

  it('sends queries to its threads once one has its connection open', async () => {
    const main = mainThread();
    pool = new SqliteReadPool(path, main.fallback);
    await pool.run('SELECT 1 AS one', []);
    const p = pool;
    // A query the fallback cannot answer (its connection is closed) shows where it ran.
    main.close();
    await vi.waitFor(
      async () => {
        expect(await p.run('SELECT count(*) AS n FROM t', [])).toEqual([{ n: 3 }]);
      },
      { timeout: 60_000, interval: 20 },
    );
    // And its threads refuse writes.
    await expect(p.run('DELETE FROM t', [])).rejects.toThrow(/reads only/);
  });

  it('refuses queries once closed', async () => {
    const main = mainThread();
    pool = new SqliteReadPool(path, main.fallback);
    await pool.run('SELECT 1', []);
    await pool.close();
    await expect(pool.run('SELECT 1', [])).rejects.toThrow(/closed/);
    main.close();
  });
});
