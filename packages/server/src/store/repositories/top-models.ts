import { sql } from 'kysely';
import { modelSql, priceGroup, type TokenSumsRow, tokenSumsSql } from '../../cost/grouped-cost.js';
import { queryDialect } from '../../span-query/index.js';
import { projectRulePasses } from './costs.js';
import type { ReadStore } from './read-store.js';

export const TOP_MODEL_ORDERS = ['cost', 'tokens'] as const;
export type TopModelOrder = (typeof TOP_MODEL_ORDERS)[number];

/** A project's spans starting in [start, end) (micros; null: unbounded). */
export interface TopModelScope {
  projectId: number;
  start: number | null;
  end: number | null;
  orderBy: TopModelOrder;
  limit: number;
}

/** One model's spans in scope; a cost is null when no price matches the model. */
export interface ModelUsage {
  model_name: string;
  span_count: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_cost: number | null;
  completion_cost: number | null;
  total_cost: number | null;
}

/**
 * The models (`llm.model_name`, trimmed) of a project's spans, the costliest or the most used
 * first (ties by name): tokens as the tokens series counts them, cost as cost_summary adds it up.
 */
export async function topModels(store: ReadStore, scope: TopModelScope): Promise<ModelUsage[]> {
  const dialect = queryDialect(store.dialect);
  const passes = await projectRulePasses(store, scope.projectId);
  const model = modelSql(dialect);
  const bounds = [
    scope.start === null ? sql`` : sql`AND spans.start_time >= ${scope.start}`,
    scope.end === null ? sql`` : sql`AND spans.start_time < ${scope.end}`,
  ];
  // Per model and provider (each priced once: grouped-cost.ts), then folded by model here.
  const { rows } = await sql<TokenSumsRow & { prompt_tokens: unknown; completion_tokens: unknown }>`
    SELECT ${tokenSumsSql(dialect)},
      sum(spans.llm_token_count_prompt) AS prompt_tokens,
      sum(spans.llm_token_count_completion) AS completion_tokens
    FROM spans CROSS JOIN traces
    WHERE traces.id = spans.trace_rowid AND traces.project_id = ${scope.projectId} ${sql.join(bounds, sql` `)}
      AND ${model} IS NOT NULL AND ${model} <> ''
    GROUP BY 1, 2`.execute(store.db);
  const byModel = new Map<string, ModelUsage>();
  for (const row of rows) {
    const name = String(row.model);
    const usage = byModel.get(name) ?? {
      model_name: name,
      span_count: 0,
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_cost: null,
      completion_cost: null,
      total_cost: null,
    };
    usage.span_count += Number(row.n);
    usage.prompt_tokens += Number(row.prompt_tokens ?? 0);
    usage.completion_tokens += Number(row.completion_tokens ?? 0);
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const cost = priceGroup(passes, row);
    if (cost) {
      usage.prompt_cost = (usage.prompt_cost ?? 0) + cost.prompt;
      usage.completion_cost = (usage.completion_cost ?? 0) + cost.completion;
      usage.total_cost = (usage.total_cost ?? 0) + cost.total;
    }
    byModel.set(name, usage);
  }
  const costOf = (m: ModelUsage) => m.total_cost ?? 0;
  const order =
    scope.orderBy === 'cost'
      ? (a: ModelUsage, b: ModelUsage) => costOf(b) - costOf(a) || b.total_tokens - a.total_tokens
      : (a: ModelUsage, b: ModelUsage) => b.total_tokens - a.total_tokens || costOf(b) - costOf(a);
  return [...byModel.values()]
    .sort((a, b) => order(a, b) || (a.model_name < b.model_name ? -1 : a.model_name > b.model_name ? 1 : 0))
    .slice(0, scope.limit);
}
