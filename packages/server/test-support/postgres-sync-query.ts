import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPostgresBinaries } from './postgres-cluster.js';

/** A SQL literal for a test's parameter (the SQL is the test's own, never user input). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

/** `?` placeholders (outside quoted strings) replaced by the parameters as literals. */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  let i = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      if (i >= params.length) throw new Error(`Too few parameters for: ${sql}`);
      out += literal(params[i++]);
    } else out += ch;
  }
  if (i !== params.length) throw new Error(`${params.length} parameters for ${i} placeholders in: ${sql}`);
  return out;
}

let psql: string | undefined;

/**
 * Runs a test's assertion query on PostgreSQL synchronously (through psql), so that tests written
 * against SQLite's synchronous `query()` run unchanged on both dialects. Rows come back as the store
 * returns them: numbers for BIGINT and sums, JSON columns as their text.
 */
export function queryPostgresSync<T>(url: string, sql: string, params: readonly unknown[]): T[] {
  psql ??= [findPostgresBinaries(), '/usr/bin']
    .filter((dir): dir is string => dir !== null)
    .map((dir) => join(dir, 'psql'))
    .find((path) => existsSync(path));
  if (!psql) throw new Error('psql is not installed');
  const wrapped = `SELECT coalesce(json_agg(q), '[]') FROM (${inlineParameters(sql, params)}) q`;
  const output = execFileSync(
    psql,
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', wrapped],
    {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const rows = JSON.parse(output) as Record<string, unknown>[];
  // JSON columns arrive parsed; the store (and SQLite) give their text.
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (value !== null && typeof value === 'object') row[key] = JSON.stringify(value);
    }
  }
  return rows as T[];
}
