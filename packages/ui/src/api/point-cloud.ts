import { useQuery } from '@tanstack/react-query';
import { enc, post } from './client.js';

/** The wire shapes of POST /v1/inferences/embeddings/{name}/umap and /v1/inferences/exports. */
export type SetRole = 'primary' | 'reference' | 'corpus';
type Label = string | number | null;

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

export interface CloudCluster {
  id: string;
  size: number;
  drift_ratio: number | null;
  primary_to_corpus_ratio: number | null;
  event_ids: string[];
}

export interface PointCloudAnswer {
  window: { start_time: string; end_time: string };
  n_components: number;
  points: CloudPoint[];
  clusters: CloudCluster[];
  retrieval_links: { query: string; document: string; score: number | null }[];
}

export interface ExportedFile {
  file_name: string;
  row_count: number;
  url: string;
}

/** The embedding's point cloud with the server's default parameters (computed once, then cached by the server). */
export function usePointCloud(name: string) {
  return useQuery({
    queryKey: ['inferences', 'point-cloud', name],
    queryFn: async () =>
      (await post<{ data: PointCloudAnswer }>(`/v1/inferences/embeddings/${enc(name)}/umap`, {})).data,
    staleTime: Number.POSITIVE_INFINITY,
  });
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
