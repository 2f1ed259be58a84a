import type { CloudCluster } from '../../api/point-cloud.js';

export type ClusterSort = 'drift' | 'size-desc' | 'size-asc' | 'metric-desc' | 'metric-asc';

/** The metric a cluster is judged by: the primary's accuracy or a numeric dimension's mean. */
export type ClusterMetric = { kind: 'accuracy' } | { kind: 'mean'; dimension: string };

/** The cluster's value of the metric in the primary set, or null. */
export function clusterMetricValue(cluster: CloudCluster, metric: ClusterMetric | null): number | null {
  if (!metric) return null;
  if (metric.kind === 'accuracy') return cluster.accuracy?.primary ?? null;
  const mean = cluster.dimension_mean;
  return mean && mean.dimension === metric.dimension ? mean.primary : null;
}

/** Phoenix's cluster ranking, done in the browser; nulls always last, ties by id. */
export function sortClusters(
  clusters: readonly CloudCluster[],
  sort: ClusterSort,
  metric: ClusterMetric | null = null,
): CloudCluster[] {
  const [key, descending]: [(c: CloudCluster) => number | null, boolean] =
    sort === 'drift'
      ? [(c) => c.drift_ratio, true]
      : sort === 'size-desc' || sort === 'size-asc'
        ? [(c) => c.size, sort === 'size-desc']
        : [(c) => clusterMetricValue(c, metric), sort === 'metric-desc'];
  return [...clusters].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === null || y === null) {
      if (x === y) return Number(a.id) - Number(b.id);
      return x === null ? 1 : -1;
    }
    return (descending ? y - x : x - y) || Number(a.id) - Number(b.id);
  });
}
