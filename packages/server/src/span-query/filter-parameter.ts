import { type Condition, parseFilter, QueryError } from '@fawkes/query';
import type { Expression, SqlBool } from 'kysely';
import { RequestValidationError } from '../api/fastapi-errors.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import type { SpanTables } from './compile-filter.js';
import { queryDialect } from './index.js';
import { compileSpanFilterFor } from './plan-filter.js';

/** One item of FastAPI's 422 `detail`, with the filter error's position in `ctx`. */
export interface FilterErrorDetail {
  loc: (string | number)[];
  msg: string;
  type: 'value_error';
  input: unknown;
  ctx: {
    reason: string;
    /** 0-based offset in the filter. */
    position: number;
    line: number;
    column: number;
    length: number;
    expected?: readonly string[];
    hint?: string;
  };
}

/** FastAPI's 422 item for a filter that does not parse or check, at `loc` (e.g. `['query', 'filter']`). */
export function filterErrorDetail(
  error: QueryError,
  loc: (string | number)[],
  input: unknown,
): FilterErrorDetail {
  return {
    loc,
    msg: `Invalid filter: ${error.message}`,
    type: 'value_error',
    input,
    ctx: {
      reason: error.reason,
      position: error.position,
      line: error.line,
      column: error.column,
      length: error.length,
      ...(error.expected ? { expected: error.expected } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    },
  };
}

/** A `filter` request parameter that is not a valid filter: the REST API answers FastAPI's 422. */
export class FilterParameterError extends RequestValidationError {
  constructor(override readonly detail: FilterErrorDetail[]) {
    super(detail);
    this.name = 'FilterParameterError';
  }
}

/**
 * The WHERE condition for a span list's `filter` parameter (`?filter=span_kind == 'LLM'`), over
 * `spans` joined to `traces` (see compileSpanFilterFor); undefined when the parameter is absent or
 * blank. Throws {@link FilterParameterError} (its `detail` is FastAPI's 422 body, with the position).
 *
 *   const where = await spanFilterParameter(request.query.filter, store);
 *   if (where) q = q.where(where);
 */
export async function spanFilterParameter(
  filter: string | undefined | null,
  store: ReadStore,
  options: {
    loc?: (string | number)[];
    tables?: SpanTables;
  } = {},
): Promise<Expression<SqlBool> | undefined> {
  if (filter === undefined || filter === null || filter.trim() === '') return undefined;
  let condition: Condition;
  try {
    condition = parseFilter(filter).condition;
  } catch (error) {
    if (error instanceof QueryError) {
      throw new FilterParameterError([filterErrorDetail(error, options.loc ?? ['query', 'filter'], filter)]);
    }
    throw error;
  }
  // cost.* read the span's own cost columns (migration 0011): no prices to load here.
  return compileSpanFilterFor(store.db, queryDialect(store.dialect), condition, {
    ...(options.tables ? { tables: options.tables } : {}),
  });
}
