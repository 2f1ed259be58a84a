/**
 * The writes of a project's model prices, as one store command (`modelPrices`, see commands.ts),
 * each operation one transaction: on SQLite's writer thread, on PostgreSQL on the API's pool.
 */
import type { ModelPriceRecord } from '../store/repositories/model-prices.js';

export interface ModelPriceInput {
  modelNamePattern: string;
  provider: string | null;
  promptCostPerToken: number;
  completionCostPerToken: number;
  cacheReadCostPerToken: number | null;
  cacheWriteCostPerToken: number | null;
  reasoningCostPerToken: number | null;
}

export type ModelPriceCommand =
  | { op: 'create'; projectId: number; price: ModelPriceInput; createdAt: number }
  | { op: 'delete'; projectId: number; id: number };

export type ModelPriceOutcome =
  | { status: 'ok'; price: ModelPriceRecord }
  /** The project, or (delete) the project's price, is not there; nothing was written. */
  | { status: 'missing' };

export const MODEL_PRICE_COLUMNS =
  'id, project_id, model_name_pattern, provider, prompt_cost_per_token, completion_cost_per_token, cache_read_cost_per_token, cache_write_cost_per_token, reasoning_cost_per_token, created_at';

export function modelPriceValues(command: Extract<ModelPriceCommand, { op: 'create' }>) {
  const { price } = command;
  return [
    command.projectId,
    price.modelNamePattern,
    price.provider,
    price.promptCostPerToken,
    price.completionCostPerToken,
    price.cacheReadCostPerToken,
    price.cacheWriteCostPerToken,
    price.reasoningCostPerToken,
    command.createdAt,
  ] as const;
}
