import { type SqlBool, sql } from 'kysely';
import { modelSql, priceGroup, type TokenSumsRow, tokenSumsSql } from '../../cost/grouped-cost.js';
import { rulePasses } from '../../cost/price-rules.js';
import { queryDialect } from '../../span-query/index.js';
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
  const model = modelSql(dialect, 's');
  const { rows } = await sql<TokenSumsRow>`
    select ${tokenSumsSql(dialect, 's')}
    from spans as s cross join traces as t
    where t.id = s.trace_rowid and ${sql.join(where, sql` and `)} and ${model} is not null and ${model} <> ''
    group by 1, 2`.execute(store.db);
  const sum: CostSum = { prompt: 0, completion: 0, total: 0, priced_spans: 0 };
  for (const row of rows) {
    const cost = priceGroup(passes, row);
    if (!cost) continue;
    sum.prompt += cost.prompt;
    sum.completion += cost.completion;
    sum.total += cost.total;
    sum.priced_spans += cost.spans;
  }
  return sum;
}
