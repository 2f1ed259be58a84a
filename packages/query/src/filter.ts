import type { Expr } from './ast.js';
import { check } from './checker.js';
import { QueryError, type QueryErrorInfo } from './errors.js';
import { parse } from './parser.js';
import type { Condition } from './resolved.js';

/** A parsed and checked filter. Plain data: it can be cached, logged or sent to a worker. */
export interface FilterExpression {
  /** The text as written. */
  readonly source: string;
  /** The syntax tree. */
  readonly ast: Expr;
  /** The resolved, typed condition (what evaluators and SQL compilers consume). */
  readonly condition: Condition;
}

/** Parses and checks a filter. Throws {@link QueryError} on the first problem. */
export function parseFilter(source: string): FilterExpression {
  const ast = parse(source);
  const condition = check(ast, source);
  return { source, ast, condition };
}

export type FilterValidation = { readonly ok: true } | { readonly ok: false; readonly error: QueryErrorInfo };

/**
 * Validates a filter without throwing, for the UI (as the user types). An empty or blank filter is an
 * error ("The filter is empty"); callers that treat an empty box as "no filter" check for it first.
 */
export function validateFilter(source: string): FilterValidation {
  try {
    parseFilter(source);
    return { ok: true };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, error: error.toJSON() };
    throw error;
  }
}
