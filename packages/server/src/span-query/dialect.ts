import type { RawBuilder, SqlBool } from 'kysely';
import type { SqlDialect } from '../store/schema.js';

/** Any SQL expression the compiler builds (a Kysely raw builder: it composes and binds safely). */
export type Sql<T = unknown> = RawBuilder<T>;

/** A step into a JSON document: an object key or an array index (as in @fawkes/query's AttributeRef). */
export type JsonPath = readonly (string | number)[];

/** The scalar types the filter language compares at run time. */
export type ScalarType = 'string' | 'number' | 'boolean';

export type OrderOp = '<' | '<=' | '>' | '>=';

/**
 * Everything that differs between SQLite and PostgreSQL when filters run as SQL. The compiler only
 * composes what these return, so a third database means one more implementation of this interface.
 *
 * Conventions (the semantics of @fawkes/query's evaluator):
 * - a value is SQL NULL when it is missing, so SQL's three-valued logic gives the evaluator's;
 * - JSON extraction is typed: `jsonScalar(doc, path, 'number')` is NULL unless the value at `path`
 *   is a JSON number (a string `'300'` is never coerced);
 * - a boolean is whatever the database uses in a WHERE clause (SQLite: 1/0, PostgreSQL: boolean).
 */
export interface QueryDialect {
  readonly name: SqlDialect;

  /** A string parameter. */
  string(value: string): Sql<string>;
  /** A number literal as a bound parameter, typed so that it mixes with any numeric column. */
  number(value: number): Sql<number>;
  /** TRUE or FALSE. */
  boolean(value: boolean): Sql<SqlBool>;

  /** The value at `path` in the JSON column `doc` when it has `type`, else NULL. */
  jsonScalar(doc: Sql, path: JsonPath, type: ScalarType): Sql;
  /** TRUE when `path` is absent from `doc` or holds JSON null. */
  jsonIsNull(doc: Sql, path: JsonPath): Sql<SqlBool>;
  /** TRUE when the value at `path` is a JSON array; FALSE otherwise (never NULL). */
  jsonIsArray(doc: Sql, path: JsonPath): Sql<SqlBool>;
  /**
   * Does the array at `path` hold an element of `type` equal to `needle`? TRUE or FALSE (the
   * caller checks that it is an array and that the needle is not NULL).
   */
  jsonArrayIncludes(doc: Sql, path: JsonPath, needle: Sql, type: ScalarType): Sql<SqlBool>;

  /** `needle in haystack` for strings: case-sensitive, `''` is in every string; NULL if either is. */
  contains(haystack: Sql, needle: Sql): Sql<SqlBool>;
  /** Orders strings by code unit (byte order for UTF-8), whatever the database's collation. */
  compareStrings(left: Sql, op: OrderOp, right: Sql): Sql<SqlBool>;
  /** `a || b`. */
  concat(left: Sql, right: Sql): Sql<string>;
  /**
   * `a + b`, `a - b`, `a * b` as the evaluator computes them, in doubles: past 64-bit integers
   * the result is a (large) double, never an overflow error.
   */
  arithmetic(op: '+' | '-' | '*', left: Sql, right: Sql): Sql<number>;
  /** True division as a double; NULL when the divisor is 0. */
  divide(left: Sql, right: Sql): Sql<number>;
  /** A microsecond difference as milliseconds, a double. */
  microsToMillis(micros: Sql): Sql<number>;

  /**
   * "The span belongs to this project", in a query over `spans` CROSS JOIN `traces` (joined on
   * trace_rowid) that walks spans newest first: written for each planner (see the implementations).
   */
  spanInProject(spans: string, traces: string, projectId: number): Sql<SqlBool>;
}

/** The checker refuses non-finite numbers; this keeps one that slipped through out of the SQL. */
export function finiteNumber(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  return value;
}
