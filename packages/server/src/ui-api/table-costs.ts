import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { spanCostSql } from '../cost/cost-sql.js';
import { type RulePass, ruleFor } from '../cost/price-rules.js';
import { costOf } from '../cost/span-cost.js';
import type { QueryDialect, Sql } from '../span-query/dialect.js';
import type { ReadStore } from '../store/repositories/read-store.js';

/** US dollars; null when no price matched any of the spans (no model name, or an unknown model). */
export interface TableCost {
  cost_prompt: number | null;
  cost_completion: number | null;
  cost_total: number | null;
}

export const NO_COST: TableCost = { cost_prompt: null, cost_completion: null, cost_total: null };

/**
 * A cost as a sort key: whole nano-dollars, -1 without a price. Integers compare exactly, so a
 * keyset cursor finds its row again even where a sum of doubles would differ in its last bits
 * between two evaluations (PostgreSQL's parallel aggregates add in any order).
 */
function sortKey(cost: Sql): RawBuilder<number> {
  return sql<number>`coalesce(cast(round(${cost} * 1000000000) as bigint), -1)`;
}

/** A span's own cost, as a sort key (`spans` is the spans table's alias in the query). */
export function spanCostSortKey(passes: readonly RulePass[], dialect: QueryDialect, spans = 'spans') {
  return sortKey(spanCostSql(passes, dialect, 'total', spans));
}

/** A trace's total cost (all its spans), as a sort key; `traces` is the traces table's alias. */
export function traceCostSortKey(passes: readonly RulePass[], dialect: QueryDialect, traces = 'traces') {
  const cost = spanCostSql(passes, dialect, 'total', 'cost_spans');
  return sortKey(
    sql`(select sum(${cost}) from spans as cost_spans where cost_spans.trace_rowid = ${sql.ref(`${traces}.id`)})`,
  );
}

/** A session's total cost (every span of its traces), as a sort key. */
export function sessionCostSortKey(passes: readonly RulePass[], dialect: QueryDialect) {
  const cost = spanCostSql(passes, dialect, 'total', 'cost_spans');
  return sortKey(
    sql`(select sum(${cost}) from traces as cost_traces cross join spans as cost_spans
      where cost_traces.project_session_id = project_sessions.id and cost_spans.trace_rowid = cost_traces.id)`,
  );
}

/** What a span's cost is computed from (cost/span-cost.ts), with the key it is added up under. */
function pricedSpanColumns(dialect: QueryDialect) {
  const doc = sql.ref('cost_spans.attributes');
  const text = (...path: string[]) => dialect.jsonScalar(doc, ['llm', ...path], 'string');
  const count = (...path: string[]) => dialect.jsonScalar(doc, ['llm', 'token_count', ...path], 'number');
  return [
    sql<string | null>`${text('model_name')}`.as('model_name'),
    sql<string | null>`${text('provider')}`.as('provider'),
    sql<number | null>`${count('prompt')}`.as('prompt'),
    sql<number | null>`${count('completion')}`.as('completion'),
    sql<number | null>`${count('prompt_details', 'cache_read')}`.as('cache_read'),
    sql<number | null>`${count('prompt_details', 'cache_write')}`.as('cache_write'),
    sql<number | null>`${count('completion_details', 'reasoning')}`.as('reasoning'),
  ] as const;
}

interface PricedSpan {
  key: number;
  model_name: string | null;
  provider: string | null;
  prompt: number | null;
  completion: number | null;
  cache_read: number | null;
  cache_write: number | null;
  reasoning: number | null;
}

/**
 * Costs of a page's rows, computed here from the spans' token counts with `ruleFor` and `costOf`
 * (the same passes and formula as the SQL of cost-sql.ts, which sorting needs): a few hundred spans'
 * counts cost less to read than the SQL's price CASE costs to evaluate, on PostgreSQL above all.
 */
function addUp(spans: PricedSpan[], passes: readonly RulePass[]): Map<number, TableCost> {
  const costs = new Map<number, TableCost>();
  const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
  for (const span of spans) {
    const rule = ruleFor(passes, span.model_name, span.provider);
    if (!rule) continue;
    const cost = costOf(rule.prices, {
      prompt: n(span.prompt),
      completion: n(span.completion),
      cacheRead: n(span.cache_read),
      cacheWrite: n(span.cache_write),
      reasoning: n(span.reasoning),
    });
    const key = Number(span.key);
    const sum = costs.get(key);
    costs.set(key, {
      cost_prompt: (sum?.cost_prompt ?? 0) + cost.prompt,
      cost_completion: (sum?.cost_completion ?? 0) + cost.completion,
      cost_total: (sum?.cost_total ?? 0) + cost.total,
    });
  }
  return costs;
}

/** Spans without a model name have no price: they are left out of the reads below. */
function hasModel(dialect: QueryDialect) {
  return sql<SqlBool>`${dialect.jsonScalar(sql.ref('cost_spans.attributes'), ['llm', 'model_name'], 'string')} is not null`;
}

/** The own cost of each of these spans, by span row id. */
export async function spanCosts(
  store: ReadStore,
  passes: readonly RulePass[],
  dialect: QueryDialect,
  spanIds: readonly number[],
): Promise<Map<number, TableCost>> {
  if (spanIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('spans as cost_spans')
    .where('cost_spans.id', 'in', [...spanIds])
    .where(hasModel(dialect))
    .select(['cost_spans.id as key', ...pricedSpanColumns(dialect)])
    .execute();
  return addUp(rows as PricedSpan[], passes);
}

/** The total cost of each of these traces (all their spans), by trace row id. */
export async function traceCosts(
  store: ReadStore,
  passes: readonly RulePass[],
  dialect: QueryDialect,
  traceIds: readonly number[],
): Promise<Map<number, TableCost>> {
  if (traceIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('spans as cost_spans')
    .where('cost_spans.trace_rowid', 'in', [...traceIds])
    .where(hasModel(dialect))
    .select(['cost_spans.trace_rowid as key', ...pricedSpanColumns(dialect)])
    .execute();
  return addUp(rows as PricedSpan[], passes);
}

/** The total cost of each of these sessions (every span of their traces), by session row id. */
export async function sessionCosts(
  store: ReadStore,
  passes: readonly RulePass[],
  dialect: QueryDialect,
  sessionIds: readonly number[],
): Promise<Map<number, TableCost>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await store.db
    .selectFrom('traces as cost_traces')
    .crossJoin('spans as cost_spans')
    .whereRef('cost_spans.trace_rowid', '=', 'cost_traces.id')
    .where('cost_traces.project_session_id', 'in', [...sessionIds])
    .where(hasModel(dialect))
    .select([sql<number>`cost_traces.project_session_id`.as('key'), ...pricedSpanColumns(dialect)])
    .execute();
  return addUp(rows as PricedSpan[], passes);
}
