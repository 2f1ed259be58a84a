import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { enc, get } from './client.js';
import type { Range } from './queries.js';

export type MetricName = 'spans' | 'traces' | 'latency' | 'tokens' | 'cost' | 'errors' | 'annotations';

/** GET /v1/projects/{p}/metrics: bucket starts and one value per bucket for each series. */
export interface MetricSeriesSet {
  metric: MetricName;
  bucket: string;
  start_time: string | null;
  end_time: string;
  timestamps: string[];
  series: { name: string; values: (number | null)[] }[];
}

export function useMetric(project: string, metric: MetricName, range: Range) {
  return useQuery({
    queryKey: ['metrics', project, metric, range] as const,
    queryFn: async ({ signal }) =>
      (
        await get<{ data: MetricSeriesSet }>(
          `/v1/projects/${enc(project)}/metrics`,
          { metric, ...range },
          signal,
        )
      ).data,
    placeholderData: keepPreviousData,
  });
}

/** One model's spans in the range (GET /v1/projects/{p}/metrics/top_models); cost null: no price. */
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

export function useTopModels(project: string, orderBy: 'cost' | 'tokens', range: Range) {
  return useQuery({
    queryKey: ['top-models', project, orderBy, range] as const,
    queryFn: async ({ signal }) =>
      (
        await get<{ data: { models: ModelUsage[] } }>(
          `/v1/projects/${enc(project)}/metrics/top_models`,
          { order_by: orderBy, limit: 5, ...range },
          signal,
        )
      ).data.models,
    placeholderData: keepPreviousData,
  });
}
