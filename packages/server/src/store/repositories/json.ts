import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { SqlDialect } from '../schema.js';

/**
 * JSON columns: text in SQLite (parsed here), jsonb in PostgreSQL (already parsed by the driver).
 * The one place where JSON is queried in SQL is below, per dialect.
 */
export function parseJsonColumn<T = unknown>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export type AttributeValue = string | number | boolean;

/**
 * True for rows whose JSON `column` holds exactly `value` at the nested `path` (an attribute key
 * split on dots): same JSON type and value, so `"12"` never matches `12`; a whole number matches an
 * integer or a float that equals it. The only dialect-specific SQL of the repositories.
 */
export function jsonValueAt(
  dialect: SqlDialect,
  column: Expression<unknown>,
  path: readonly string[],
  value: AttributeValue,
): RawBuilder<SqlBool> {
  if (dialect === 'postgresql') {
    const at = sql`(${column} #> ${sql.val([...path])}::text[])`;
    if (typeof value === 'number') {
      return sql<SqlBool>`(jsonb_typeof(${at}) = 'number' and (${at})::numeric = ${value})`;
    }
    return sql<SqlBool>`(${at} = ${JSON.stringify(value)}::jsonb)`;
  }
  // SQLite JSON paths cannot name a key that contains a double quote: no row has such a value.
  if (path.some((key) => key.includes('"'))) return sql<SqlBool>`(1 = 0)`;
  const jsonPath = `$${path.map((key) => `."${key}"`).join('')}`;
  if (typeof value === 'boolean') {
    return sql<SqlBool>`(json_type(${column}, ${jsonPath}) = ${value ? 'true' : 'false'})`;
  }
  if (typeof value === 'number') {
    return sql<SqlBool>`(json_type(${column}, ${jsonPath}) in ('integer', 'real') and json_extract(${column}, ${jsonPath}) = ${value})`;
  }
  return sql<SqlBool>`(json_type(${column}, ${jsonPath}) = 'text' and json_extract(${column}, ${jsonPath}) = ${value})`;
}
