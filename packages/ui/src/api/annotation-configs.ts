import { useQuery } from '@tanstack/react-query';
import { enc, get } from './client.js';

/** A project's annotation configs, as the REST API answers them (GET /v1/projects/{p}/annotation_configs). */
export type UiAnnotationConfig =
  | {
      type: 'CATEGORICAL';
      id: string;
      name: string;
      description?: string | null;
      values: { label: string; score?: number | null }[];
    }
  | {
      type: 'CONTINUOUS';
      id: string;
      name: string;
      description?: string | null;
      lower_bound?: number | null;
      upper_bound?: number | null;
    }
  | { type: 'FREEFORM'; id: string; name: string; description?: string | null };

export function useProjectAnnotationConfigs(project: string) {
  return useQuery({
    queryKey: ['annotation-configs', project],
    queryFn: async ({ signal }) =>
      (
        await get<{ data: UiAnnotationConfig[] }>(
          `/v1/projects/${enc(project)}/annotation_configs`,
          { limit: 1000 },
          signal,
        )
      ).data,
  });
}

/** Why a score does not fit a continuous config's bounds, or null. */
export function boundsProblem(config: UiAnnotationConfig | undefined, score: number | null): string | null {
  if (config?.type !== 'CONTINUOUS' || score === null || !Number.isFinite(score)) return null;
  const lower = config.lower_bound ?? null;
  const upper = config.upper_bound ?? null;
  if ((lower === null || score >= lower) && (upper === null || score <= upper)) return null;
  if (lower !== null && upper !== null) return `The score must be between ${lower} and ${upper}.`;
  return lower !== null ? `The score must be at least ${lower}.` : `The score must be at most ${upper}.`;
}
