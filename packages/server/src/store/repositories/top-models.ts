import { sql } from 'kysely';
import { queryDialect } from '../../query/index.js';
import { costSumsSql, projectRulePasses } from './costs.js';
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

const nullableNumber = (value: unknown) => (value == null ? null : Number(value));

/**
 * The models (`llm.model_name`, trimmed) of a project's spans, the costliest or the most used
 * first (ties by name): tokens as the tokens series counts them, cost as cost_summary adds it up.
 */
export async function topModels(store: ReadStore, scope: TopModelScope): Promise<ModelUsage[]> {
  const dialect = queryDialect(store.dialect);
  const passes = await projectRulePasses(store, scope.projectId);
  const model = sql<string>`trim(${dialect.jsonScalar(sql.ref('spans.attributes'), ['llm', 'model_name'], 'string')})`;
  const bounds = [
    scope.start === null ? sql`` : sql`AND spans.start_time >= ${scope.start}`,
    scope.end === null ? sql`` : sql`AND spans.start_time < ${scope.end}`,
  ];
  const order =
    scope.orderBy === 'cost'
      ? sql`coalesce(total_cost, 0) DESC, total_tokens DESC`
      : sql`total_tokens DESC, coalesce(total_cost, 0) DESC`;
  const { rows } = await sql<Record<keyof ModelUsage, unknown>>`
    SELECT model_name, span_count, prompt_tokens, completion_tokens,
      prompt_tokens + completion_tokens AS total_tokens, prompt_cost, completion_cost, total_cost
    FROM (
      SELECT ${model} AS model_name, count(*) AS span_count,
        sum(spans.llm_token_count_prompt) AS prompt_tokens,
        sum(spans.llm_token_count_completion) AS completion_tokens,
        ${costSumsSql(passes, dialect)}
      FROM spans CROSS JOIN traces
      WHERE traces.id = spans.trace_rowid AND traces.project_id = ${scope.projectId} ${sql.join(bounds, sql` `)}
        AND ${model} IS NOT NULL AND ${model} <> ''
      GROUP BY 1) AS models
    ORDER BY ${order}, model_name
    LIMIT ${scope.limit}`.execute(store.db);
  return rows.map((r) => ({
    model_name: String(r.model_name),
    span_count: Number(r.span_count),
    prompt_tokens: Number(r.prompt_tokens),
    completion_tokens: Number(r.completion_tokens),
    total_tokens: Number(r.total_tokens),
    prompt_cost: nullableNumber(r.prompt_cost),
    completion_cost: nullableNumber(r.completion_cost),
    total_cost: nullableNumber(r.total_cost),
  }));
}
