import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { enc, get } from './client.js';
import { keys, type Range } from './queries.js';

/** GET /v1/projects/{p}/cost_summary: US dollars over the spans starting in the range. */
export interface CostSummary {
  prompt: number;
  completion: number;
  total: number;
  priced_spans: number;
}

/** Under the project stats' key, so that the live refresh of the header refreshes it too. */
export function useProjectCost(project: string, range: Range) {
  return useQuery({
    queryKey: [...keys.projectStats(project, range), 'cost'] as const,
    queryFn: async ({ signal }) =>
      (await get<{ data: CostSummary }>(`/v1/projects/${enc(project)}/cost_summary`, { ...range }, signal))
        .data,
    placeholderData: keepPreviousData,
  });
}
