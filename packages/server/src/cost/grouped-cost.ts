import { sql } from 'kysely';
import type { QueryDialect, Sql } from '../span-query/dialect.js';
import { type RulePass, ruleFor } from './price-rules.js';

/**
 * Cost roll-ups without a price rule in the SQL: the database sums token counts per model name and
 * provider (a few hundred groups at most), and each group is priced once here with `ruleFor`. The
 * rule CASE of cost-sql.ts costs a regular-expression test per rule per span (seconds at 100k spans;
 * PostgreSQL re-compiles past its 32 cached patterns), this costs a sum per span.
 *
 * Exact, not an approximation: costOf is linear in the counts except for its "never below zero"
 * plain counts, so every clamped difference a rule may need is summed per span, and the group's
 * rule picks the ones it uses.
 */

/** The select list: `model`, `provider` and the sums, over the spans aliased `spans`. */
export function tokenSumsSql(dialect: QueryDialect, spans = 'spans'): Sql {
  const doc = sql.ref(`${spans}.attributes`);
  const count = (...path: string[]) =>
    sql<number>`coalesce(${dialect.jsonScalar(doc, ['llm', 'token_count', ...path], 'number')}, 0)`;
  const p = count('prompt');
  const c = count('completion');
  const cr = count('prompt_details', 'cache_read');
  const cw = count('prompt_details', 'cache_write');
  const r = count('completion_details', 'reasoning');
  const clamped = (x: Sql) => sql`sum(case when ${x} < 0 then 0 else ${x} end)`;
  return sql.join([
    sql`${modelSql(dialect, spans)} AS model`,
    sql`${dialect.jsonScalar(doc, ['llm', 'provider'], 'string')} AS provider`,
    sql`${clamped(p)} AS p`,
    sql`${clamped(sql`${p} - ${cr}`)} AS p_r`,
    sql`${clamped(sql`${p} - ${cw}`)} AS p_w`,
    sql`${clamped(sql`${p} - ${cr} - ${cw}`)} AS p_rw`,
    sql`sum(${cr}) AS cr`,
    sql`sum(${cw}) AS cw`,
    sql`${clamped(c)} AS c`,
    sql`${clamped(sql`${c} - ${r}`)} AS c_r`,
    sql`sum(${r}) AS r`,
    sql`count(*) AS n`,
  ]);
}

/** The trimmed model name, which the groups are by (NULL or '' has no price). */
export function modelSql(dialect: QueryDialect, spans = 'spans'): Sql<string | null> {
  return sql`trim(${dialect.jsonScalar(sql.ref(`${spans}.attributes`), ['llm', 'model_name'], 'string')})`;
}

/** One row of tokenSumsSql (numbers may come back as strings from PostgreSQL). */
export type TokenSumsRow = Record<
  'model' | 'provider' | 'p' | 'p_r' | 'p_w' | 'p_rw' | 'cr' | 'cw' | 'c' | 'c_r' | 'r' | 'n',
  unknown
>;

export interface GroupCost {
  prompt: number;
  completion: number;
  total: number;
  /** Spans of the group (all priced, or the group is not). */
  spans: number;
}

/** The group's cost at its rule's prices; null when no rule prices its model. */
export function priceGroup(passes: readonly RulePass[], row: TokenSumsRow): GroupCost | null {
  const rule = ruleFor(
    passes,
    row.model == null ? null : String(row.model),
    row.provider == null ? null : String(row.provider),
  );
  if (!rule) return null;
  const n = (value: unknown) => Number(value ?? 0);
  const { prices } = rule;
  const plainPrompt =
    prices.cacheRead !== null
      ? prices.cacheWrite !== null
        ? row.p_rw
        : row.p_r
      : prices.cacheWrite !== null
        ? row.p_w
        : row.p;
  const prompt =
    n(plainPrompt) * prices.prompt +
    (prices.cacheRead !== null ? n(row.cr) * prices.cacheRead : 0) +
    (prices.cacheWrite !== null ? n(row.cw) * prices.cacheWrite : 0);
  const completion =
    n(prices.reasoning !== null ? row.c_r : row.c) * prices.completion +
    (prices.reasoning !== null ? n(row.r) * prices.reasoning : 0);
  return { prompt, completion, total: prompt + completion, spans: n(row.n) };
}
