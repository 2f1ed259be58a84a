import { type SqlBool, sql } from 'kysely';
import { type CostPart, spanCostSql } from '../../cost/cost-sql.js';
import { type RulePass, rulePasses } from '../../cost/price-rules.js';
import { type QueryDialect, queryDialect } from '../../query/index.js';
import { listModelPrices, toPriceRule } from './model-prices.js';
import type { ReadStore } from './read-store.js';

/** Which spans of a project to add up; every given bound applies. */
export interface CostScope {
  projectId: number;
  /** spans.start_time ≥ this (micros). */
  startFrom: number | null;
  /** spans.start_time < this (micros). */
  startBefore: number | null;
  traceId: string | null;
  sessionId: string | null;
  spanId: string | null;
}

/** US dollars over the spans in scope; `priced_spans` counts those a price matched. */
export interface CostSum {
  prompt: number;
  completion: number;
  total: number;
  priced_spans: number;
}

/** The rule passes for a project: its own prices, then the built-in table. */
export async function projectRulePasses(store: ReadStore, projectId: number) {
  return rulePasses((await listModelPrices(store, projectId)).map(toPriceRule));
}

/**
 * `sum(prompt) AS prompt_cost, sum(completion) AS completion_cost, sum(total) AS total_cost` over
 * the spans aliased `spans`: every cost roll-up (cost_summary, metric=cost, top models) selects
 * these, so the formula lives in spanCostSql alone. A sum is NULL when no span in it had a price.
 */
export function costSumsSql(passes: readonly RulePass[], dialect: QueryDialect, spans = 'spans') {
  const sum = (part: CostPart) =>
    sql`sum(${spanCostSql(passes, dialect, part, spans)}) AS ${sql.ref(`${part}_cost`)}`;
  return sql.join([sum('prompt'), sum('completion'), sum('total')]);
}

/**
 * The cumulative cost of the spans in scope (a span, a trace, a session, a project in a time range),
 * computed from the spans' token counts and today's prices (so a price change shows at once).
 */
export async function sumCosts(store: ReadStore, scope: CostScope): Promise<CostSum> {
  const dialect = queryDialect(store.dialect);
  const passes = await projectRulePasses(store, scope.projectId);
  const where: ReturnType<typeof sql<SqlBool>>[] = [sql`t.project_id = ${scope.projectId}`];
  if (scope.startFrom !== null) where.push(sql`s.start_time >= ${scope.startFrom}`);
  if (scope.startBefore !== null) where.push(sql`s.start_time < ${scope.startBefore}`);
  if (scope.traceId !== null) where.push(sql`t.trace_id = ${scope.traceId}`);
  if (scope.spanId !== null) where.push(sql`s.span_id = ${scope.spanId}`);
  if (scope.sessionId !== null) {
    where.push(
      sql`t.project_session_id = (select id from project_sessions where session_id = ${scope.sessionId})`,
    );
  }
  const { rows } = await sql<{
    prompt_cost: unknown;
    completion_cost: unknown;
    total_cost: unknown;
    priced: unknown;
  }>`
    select ${costSumsSql(passes, dialect, 's')}, count(${spanCostSql(passes, dialect, 'total', 's')}) as priced
    from spans as s cross join traces as t
    where t.id = s.trace_rowid and ${sql.join(where, sql` and `)}`.execute(store.db);
  const row = rows[0];
  return {
    prompt: Number(row?.prompt_cost ?? 0),
    completion: Number(row?.completion_cost ?? 0),
    total: Number(row?.total_cost ?? 0),
    priced_spans: Number(row?.priced ?? 0),
  };
}
