import type { CloudCluster } from '../../api/point-cloud.js';
import { formatMetric } from '../model-format.js';
import { type ClusterMetric, type ClusterSort, clusterMetricValue } from './cluster-sort.js';

/** The clusters, sorted as chosen, each with its size, % primary bar and metric; a click selects one. */
export function ClusterList({
  clusters,
  sort,
  onSortChange,
  metric,
  metricLabel,
  hasReference,
  selectedId,
  onSelect,
}: {
  clusters: readonly CloudCluster[];
  sort: ClusterSort;
  onSortChange: (sort: ClusterSort) => void;
  metric: ClusterMetric | null;
  metricLabel: string;
  hasReference: boolean;
  selectedId: string | null;
  onSelect: (cluster: CloudCluster) => void;
}) {
  return (
    <section className="block cluster-list" aria-labelledby="clusters-title">
      <h2 className="block-title" id="clusters-title">
        Clusters <span className="muted">({clusters.length})</span>
      </h2>
      <label>
        Sort by{' '}
        <select
          aria-label="Sort clusters"
          value={sort}
          onChange={(e) => onSortChange(e.target.value as ClusterSort)}
        >
          {hasReference && <option value="drift">Most drift</option>}
          <option value="size-desc">Largest</option>
          <option value="size-asc">Smallest</option>
          {metric && <option value="metric-desc">Highest {metricLabel}</option>}
          {metric && <option value="metric-asc">Lowest {metricLabel}</option>}
        </select>
      </label>
      <ul data-testid="clusters">
        {clusters.map((cluster) => {
          const value = clusterMetricValue(cluster, metric);
          return (
            <li key={cluster.id}>
              <button
                type="button"
                className="cluster-row"
                aria-pressed={selectedId === cluster.id}
                data-cluster-id={cluster.id}
                data-size={cluster.size}
                onClick={() => onSelect(cluster)}
              >
                <span>Cluster {cluster.id}</span>
                <span className="muted">{cluster.size} points</span>
                {metric && (
                  <span className="muted cluster-metric" data-testid="cluster-metric">
                    {metricLabel} {formatMetric(value)}
                  </span>
                )}
                <PrimaryShare ratio={cluster.drift_ratio} />
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function PrimaryShare({ ratio }: { ratio: number | null }) {
  if (ratio === null) return null;
  const percent = ((ratio + 1) / 2) * 100;
  return (
    <span className="primary-share" title={`${formatMetric(percent, 0)} % primary`}>
      <span className="primary-share-bar" style={{ width: `${percent}%` }} />
    </span>
  );
}
