import { useQuery } from '@tanstack/react-query';
import { ApiError, del, enc, get, post } from './client.js';

/** GET /v1/projects/{p}/model_prices: a project's own prices, US dollars per token. */
export interface ModelPrice {
  id: string;
  model_name_pattern: string;
  provider: string | null;
  prompt_cost_per_token: number;
  completion_cost_per_token: number;
  cache_read_cost_per_token: number | null;
  cache_write_cost_per_token: number | null;
  reasoning_cost_per_token: number | null;
  created_at: string;
}

export type NewModelPrice = Omit<ModelPrice, 'id' | 'created_at'>;

const path = (project: string) => `/v1/projects/${enc(project)}/model_prices`;

export const modelPricesKey = (project: string) => ['model-prices', project] as const;

export function useModelPrices(project: string) {
  return useQuery({
    queryKey: modelPricesKey(project),
    queryFn: async ({ signal }) => (await get<{ data: ModelPrice[] }>(path(project), undefined, signal)).data,
  });
}

export async function createModelPrice(project: string, price: NewModelPrice): Promise<ModelPrice> {
  return (await post<{ data: ModelPrice }>(path(project), price)).data;
}

export async function deleteModelPrice(project: string, id: string): Promise<void> {
  await del(`${path(project)}/${enc(id)}`);
}

/**
 * A 422's problems by body field (the client's message lists them as `body.field: msg`), so that
 * each shows under its input; `''` holds what names no field.
 */
export function fieldProblems(error: unknown): Record<string, string> {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof ApiError) || error.status !== 422) return { '': message };
  const problems: Record<string, string> = {};
  for (const part of message.split('; ')) {
    const match = /^body\.([a-z_]+)(?:\.[^:]*)?: (.*)$/s.exec(part);
    if (match) problems[match[1]!] = match[2]!;
    else problems[''] = part;
  }
  return problems;
}
