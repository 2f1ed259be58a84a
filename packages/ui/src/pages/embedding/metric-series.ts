import { useQueries, useQuery } from '@tanstack/react-query';
import { enc, get } from '../../api/client.js';
import {
  DAILY,
  type Granularity,
  type InferencesSet,
  inferencesKeys,
  ROLLING_DRIFT,
  type TimeSeriesPoint,
} from '../../api/inferences.js';

/** The embedding page's metric (Phoenix's metric selector). */
export type EmbeddingMetric =
  | { kind: 'euclidean_distance' }
  | { kind: 'accuracy' }
  | { kind: 'mean'; dimension: string };

export const metricKey = (metric: EmbeddingMetric) =>
  metric.kind === 'mean' ? `mean:${metric.dimension}` : metric.kind;

export const metricLabel = (metric: EmbeddingMetric) =>
  metric.kind === 'euclidean_distance'
    ? 'Euclidean distance'
    : metric.kind === 'accuracy'
      ? 'Accuracy'
      : `${metric.dimension} avg`;

export function metricFromKey(key: string): EmbeddingMetric {
  if (key === 'accuracy') return { kind: 'accuracy' };
  if (key.startsWith('mean:')) return { kind: 'mean', dimension: key.slice('mean:'.length) };
  return { kind: 'euclidean_distance' };
}

interface SeriesState {
  points: TimeSeriesPoint[];
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

const DAY = 86_400_000;

/**
 * The ends of the daily windows over the primary set, counted back from its end (Phoenix's
 * calculateGranularity for ranges over a day), oldest first.
 */
export function dailyWindowEnds(primary: InferencesSet): number[] {
  const start = Date.parse(primary.start_time);
  const ends: number[] = [];
  for (let end = Date.parse(primary.end_time); end > start; end -= DAY) ends.unshift(end);
  return ends;
}

/** The metric over time: one of the three series, each with its query's state. */
export function useMetricSeries(name: string, metric: EmbeddingMetric, primary: InferencesSet): SeriesState {
  const euclidean = useSeries(
    inferencesKeys.embeddingSeries(name, ROLLING_DRIFT),
    `/v1/inferences/embeddings/${enc(name)}/time_series`,
    { metric: 'euclidean_distance', ...ROLLING_DRIFT },
    metric.kind === 'euclidean_distance',
  );
  const dimension = metric.kind === 'mean' ? metric.dimension : '';
  const mean = useSeries(
    inferencesKeys.dimensionSeries(dimension, 'mean', DAILY),
    `/v1/inferences/dimensions/${enc(dimension)}/time_series`,
    { metric: 'mean', ...DAILY },
    metric.kind === 'mean',
  );
  const accuracy = useAccuracySeries(primary, metric.kind === 'accuracy');
  if (metric.kind === 'accuracy') return accuracy;
  const query = metric.kind === 'mean' ? mean : euclidean;
  return {
    points: query.data ?? [],
    isPending: query.isPending,
    isError: query.isError,
    error: query.error,
    refetch: query.refetch,
  };
}

function useSeries(
  queryKey: readonly unknown[],
  path: string,
  params: Granularity & { metric: string },
  enabled: boolean,
) {
  return useQuery({
    queryKey,
    queryFn: async ({ signal }) => (await get<{ data: TimeSeriesPoint[] }>(path, { ...params }, signal)).data,
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

/** Accuracy per daily window (GET /v1/inferences/performance per window: there is no accuracy series). */
function useAccuracySeries(primary: InferencesSet, enabled: boolean): SeriesState {
  const ends = enabled ? dailyWindowEnds(primary) : [];
  const queries = useQueries({
    queries: ends.map((end) => ({
      queryKey: ['inferences', 'accuracy-window', end],
      queryFn: async ({ signal }: { signal: AbortSignal }) =>
        (
          await get<{ data: { value: number | null } }>(
            '/v1/inferences/performance',
            {
              metric: 'accuracy',
              start_time: new Date(end - DAY).toISOString(),
              end_time: new Date(end).toISOString(),
            },
            signal,
          )
        ).data.value,
      staleTime: Number.POSITIVE_INFINITY,
    })),
  });
  const failed = queries.find((q) => q.isError);
  return {
    points: ends.map((end, i) => ({
      timestamp: new Date(end).toISOString(),
      value: queries[i]?.data ?? null,
    })),
    isPending: queries.some((q) => q.isPending),
    isError: failed !== undefined,
    error: failed?.error ?? null,
    refetch: () => queries.forEach((q) => void q.refetch()),
  };
}
