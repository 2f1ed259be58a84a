import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, enc, get, post } from './client.js';

/** The wire shapes of POST /v1/inferences/embeddings/{name}/umap, …/clusters and /v1/inferences/exports. */
export type SetRole = 'primary' | 'reference' | 'corpus';
export type Label = string | number | null;

export interface CloudPoint {
  event_id: string;
  set: SetRole;
  coordinates: number[];
  cluster_id: string | null;
  prediction_id: string | null;
  prediction_label: Label;
  prediction_score: number | null;
  actual_label: Label;
  actual_score: number | null;
  raw_data: string | null;
  link_to_data: string | null;
  dimensions: Record<string, Label>;
}

interface PerSet {
  primary: number | null;
  reference: number | null;
}

export interface CloudCluster {
  id: string;
  size: number;
  drift_ratio: number | null;
  primary_to_corpus_ratio: number | null;
  event_ids: string[];
  accuracy?: PerSet;
  dimension_mean?: (PerSet & { dimension: string }) | null;
}

export interface PointCloudAnswer {
  window: { start_time: string; end_time: string };
  n_components: number;
  points: CloudPoint[];
  clusters: CloudCluster[];
  retrieval_links: { query: string; document: string; score: number | null }[];
}

/** UMAP's and the sampling's parameters: a change asks for a new projection. */
export interface ProjectionParameters {
  n_neighbors?: number;
  min_dist?: number;
  n_samples?: number;
  n_components?: 2 | 3;
  window_end?: string;
}

/** HDBSCAN's parameters: a change re-clusters the coordinates already projected. */
export interface ClusterParameters {
  min_cluster_size?: number;
  min_samples?: number;
  cluster_selection_epsilon?: number;
}

export interface ExportedFile {
  file_name: string;
  row_count: number;
  url: string;
}

export interface ProjectionProgress {
  n_neighbors: number;
  min_dist: number;
  n_samples: number;
  n_components: number;
  seed: number;
  epochs_done: number;
  epochs_total: number | null;
}

const embeddingPath = (name: string, rest: string) => `/v1/inferences/embeddings/${enc(name)}/${rest}`;

/**
 * The embedding's point cloud for these parameters (the server caches each layout). The previous
 * cloud stays on screen while the next one is projected.
 */
export function usePointCloud(name: string, parameters: ProjectionParameters & ClusterParameters = {}) {
  return useQuery({
    queryKey: ['inferences', 'point-cloud', name, parameters],
    queryFn: async () =>
      (await post<{ data: PointCloudAnswer }>(embeddingPath(name, 'umap'), parameters)).data,
    staleTime: Number.POSITIVE_INFINITY,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** The layouts of this embedding running now, polled while `running`. */
export function useProjectionProgress(name: string, running: boolean) {
  return useQuery({
    queryKey: ['inferences', 'point-cloud-progress', name],
    queryFn: async ({ signal }) =>
      (await get<{ data: ProjectionProgress[] }>(embeddingPath(name, 'umap/progress'), {}, signal)).data,
    enabled: running,
    refetchInterval: running ? 250 : false,
    gcTime: 0,
  });
}

/** HDBSCAN again over the points' coordinates, with new settings: no new UMAP run. */
export async function reclusterPoints(
  name: string,
  points: readonly CloudPoint[],
  parameters: ClusterParameters & { metric_dimension?: string },
): Promise<CloudCluster[]> {
  const body = {
    event_ids: points.map((p) => p.event_id),
    coordinates: points.map((p) => p.coordinates),
    ...parameters,
  };
  return (await post<{ data: { clusters: CloudCluster[] } }>(embeddingPath(name, 'clusters'), body)).data
    .clusters;
}

/** Writes the selected rows (or a cluster's, with its id) to exports/<name>.parquet. */
export async function exportPoints(
  selection: { eventIds: string[] } | { cluster: CloudCluster },
): Promise<ExportedFile> {
  const body =
    'cluster' in selection
      ? { clusters: [{ id: selection.cluster.id, event_ids: selection.cluster.event_ids }] }
      : { event_ids: selection.eventIds };
  return (await post<{ data: ExportedFile }>('/v1/inferences/exports', body)).data;
}

/**
 * The body parameters a 422 names, with their messages (the client's message lists them as
 * `body.<name>: <msg>` joined by '; '). Any other error is under '' .
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { '': String(error) };
  if (!(error instanceof ApiError) || error.status !== 422) return { '': error.message };
  const errors: Record<string, string> = {};
  for (const part of error.message.split('; ')) {
    const match = /^body\.([a-z_]+)(?:\.[^:]*)?: (.*)$/s.exec(part);
    if (match) errors[match[1]!] = match[2]!;
    else errors[''] = errors[''] ? `${errors['']}; ${part}` : part;
  }
  return errors;
}
