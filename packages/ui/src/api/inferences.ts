import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, enc, get } from './client.js';

/** The wire shapes of `/v1/inferences` (packages/server/src/api/schemas/inferences.ts). */

/** A primary time range, [start_time, end_time); either end open when absent. */
export interface ModelRange {
  start_time?: string;
  end_time?: string;
}

export interface InferencesSet {
  name: string;
  row_count: number;
  start_time: string;
  end_time: string;
}

export type DimensionType = 'feature' | 'tag' | 'prediction' | 'actual';
export type DimensionDataType = 'numeric' | 'categorical';

export interface InferencesDimension {
  name: string;
  type: DimensionType;
  data_type: DimensionDataType;
  shape: 'continuous' | 'discrete';
}

export interface InferencesInfo {
  primary: InferencesSet;
  reference: InferencesSet | null;
  corpus: InferencesSet | null;
  dimensions: InferencesDimension[];
  embeddings: { name: string; dimension: number }[];
  default_umap_parameters: { min_dist: number; n_neighbors: number; n_samples: number };
}

export interface DimensionSummary {
  name: string;
  type: DimensionType;
  data_type: DimensionDataType;
  cardinality: number | null;
  percent_empty: number | null;
  min: number | null;
  mean: number | null;
  max: number | null;
  psi: number | null;
}

export interface EmbeddingSummary {
  name: string;
  euclidean_distance: number | null;
  query_distance: number | null;
}

export interface InferencesSummary {
  dimensions: DimensionSummary[];
  embeddings: EmbeddingSummary[];
}

export type SegmentBin =
  | { type: 'nominal'; name: string }
  | {
      type: 'interval';
      start: number | null;
      end: number | null;
      left: number | null;
      right: number | null;
    }
  | { type: 'missing' };

export interface Segment {
  bin: SegmentBin;
  primary: number;
  reference: number | null;
}

export interface TimeSeriesPoint {
  timestamp: string;
  value: number | null;
}

export type DimensionSeriesMetric =
  | 'count'
  | 'cardinality'
  | 'percent_empty'
  | 'mean'
  | 'sum'
  | 'min'
  | 'max'
  | 'p01'
  | 'p25'
  | 'p50'
  | 'p75'
  | 'p99'
  | 'psi'
  | 'kl_divergence'
  | 'js_distance';

export interface Granularity {
  evaluation_window_minutes?: number;
  sampling_interval_minutes?: number;
}

/** Phoenix's drift charts: a rolling 2-day window sampled daily. */
export const ROLLING_DRIFT: Granularity = {
  evaluation_window_minutes: 2880,
  sampling_interval_minutes: 1440,
};
export const DAILY: Granularity = { evaluation_window_minutes: 1440, sampling_interval_minutes: 1440 };

interface Data<T> {
  data: T;
}

export const inferencesKeys = {
  info: ['inferences'] as const,
  summary: (range: ModelRange = {}) => ['inferences', 'summary', range] as const,
  segments: (name: string, range: ModelRange = {}) => ['inferences', 'segments', name, range] as const,
  dimensionSeries: (
    name: string,
    metric: DimensionSeriesMetric,
    granularity: Granularity,
    range: ModelRange = {},
  ) => ['inferences', 'dimension-series', name, metric, granularity, range] as const,
  embeddingSeries: (name: string, granularity: Granularity, range: ModelRange = {}) =>
    ['inferences', 'embedding-series', name, granularity, range] as const,
};

/** The app's inference sets; `null` when it was launched without any (the server answers 404). */
export function useInferences() {
  return useQuery({
    queryKey: inferencesKeys.info,
    queryFn: async ({ signal }) => {
      try {
        return (await get<Data<InferencesInfo>>('/v1/inferences', undefined, signal)).data;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The model home page's two tables in one call, over a primary range (all of it by default). */
export function useInferencesSummary(range: ModelRange = {}) {
  return useQuery({
    queryKey: inferencesKeys.summary(range),
    queryFn: async ({ signal }) =>
      (await get<Data<InferencesSummary>>('/v1/inferences/summary', { ...range }, signal)).data,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSegments(name: string, range: ModelRange = {}) {
  return useQuery({
    queryKey: inferencesKeys.segments(name, range),
    queryFn: async ({ signal }) =>
      (await get<Data<Segment[]>>(`/v1/inferences/dimensions/${enc(name)}/segments`, { ...range }, signal))
        .data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useDimensionSeries(
  name: string,
  metric: DimensionSeriesMetric,
  granularity: Granularity,
  range: ModelRange = {},
) {
  return useQuery({
    queryKey: inferencesKeys.dimensionSeries(name, metric, granularity, range),
    queryFn: async ({ signal }) =>
      (
        await get<Data<TimeSeriesPoint[]>>(
          `/v1/inferences/dimensions/${enc(name)}/time_series`,
          { metric, ...granularity, ...range },
          signal,
        )
      ).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useEmbeddingSeries(name: string, granularity: Granularity, range: ModelRange = {}) {
  return useQuery({
    queryKey: inferencesKeys.embeddingSeries(name, granularity, range),
    queryFn: async ({ signal }) =>
      (
        await get<Data<TimeSeriesPoint[]>>(
          `/v1/inferences/embeddings/${enc(name)}/time_series`,
          { metric: 'euclidean_distance', ...granularity, ...range },
          signal,
        )
      ).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
