import type { Condition } from '@fawkes/query';
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../store/schema.js';
import {
  type CompileOptions,
  compileSpanFilter,
  DEFAULT_SPAN_TABLES,
  semiJoinCandidates,
} from './compile-filter.js';
import type { QueryDialect, Sql } from './dialect.js';

/**
 * Above this many matching annotations, walking spans newest first (and probing each one's
 * annotations) finds a page sooner than listing every matching span and sorting them.
 */
export const SEMI_JOIN_MAX_ANNOTATIONS = 10_000;

/**
 * compileSpanFilter, with the access path to annotations chosen by the data: for each simple
 * annotation predicate we count (up to SEMI_JOIN_MAX_ANNOTATIONS) the annotations it matches:
 * few → start from the annotations' index (`spans.id IN (...)`), many → walk spans by start time and
 * probe each one. With 3M annotations, a first page of `annotations['correctness'].label ==
 * 'correct'` (matching most LLM spans) takes 3 s the first way on SQLite, which keeps no per-value
 * statistics; PostgreSQL has them but still hashes every match before the LIMIT (see
 * bench/README.md).
 */
export async function compileSpanFilterFor(
  db: Kysely<Database>,
  dialect: QueryDialect,
  condition: Condition,
  options: Omit<CompileOptions, 'semiJoin'> = {},
): Promise<Sql<SqlBool>> {
  const decisions: boolean[] = [];
  for (const candidate of semiJoinCandidates(condition, dialect, options.tables ?? DEFAULT_SPAN_TABLES)) {
    const { rows } = await sql<{ matching: number }>`select count(*) as matching
      from (${candidate.matchingAnnotations} limit ${sql.lit(SEMI_JOIN_MAX_ANNOTATIONS)}) as _matching`.execute(
      db,
    );
    decisions.push(Number(rows[0]?.matching ?? 0) < SEMI_JOIN_MAX_ANNOTATIONS);
  }
  let next = 0;
  // Candidates come in the same order as semiJoinCandidates gave them.
  return compileSpanFilter(condition, dialect, { ...options, semiJoin: () => decisions[next++] ?? true });
}
