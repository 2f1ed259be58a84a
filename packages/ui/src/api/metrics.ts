import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { enc, get } from './client.js';
import type { Range } from './queries.js';

export type MetricName = 'spans' | 'traces' | 'latency' | 'tokens' | 'errors' | 'annotations';

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
