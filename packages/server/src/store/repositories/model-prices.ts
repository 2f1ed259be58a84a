import type { PriceRule } from '../../cost/price-rules.js';
import type { ReadStore } from './read-store.js';

/** A project's own price, as stored. */
export interface ModelPriceRecord {
  id: number;
  project_id: number;
  model_name_pattern: string;
  provider: string | null;
  prompt_cost_per_token: number;
  completion_cost_per_token: number;
  cache_read_cost_per_token: number | null;
  cache_write_cost_per_token: number | null;
  reasoning_cost_per_token: number | null;
  created_at: number;
}

/** PostgreSQL answers bigint columns as strings. */
export function toModelPriceRecord(row: ModelPriceRecord): ModelPriceRecord {
  return {
    ...row,
    id: Number(row.id),
    project_id: Number(row.project_id),
    created_at: Number(row.created_at),
  };
}

/** The project's prices, oldest first. */
export async function listModelPrices({ db }: ReadStore, projectId: number): Promise<ModelPriceRecord[]> {
  const rows = await db
    .selectFrom('model_prices')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toModelPriceRecord);
}

/** A stored price as a rule of the matcher (cost/price-rules.ts). */
export function toPriceRule(price: ModelPriceRecord): PriceRule {
  return {
    id: `project:${price.id}`,
    source: 'project',
    pattern: price.model_name_pattern,
    provider: price.provider?.trim().toLowerCase() || null,
    prices: {
      prompt: price.prompt_cost_per_token,
      completion: price.completion_cost_per_token,
      cacheRead: price.cache_read_cost_per_token,
      cacheWrite: price.cache_write_cost_per_token,
      reasoning: price.reasoning_cost_per_token,
    },
    order: price.id,
  };
}
