import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useInferences } from '../api/inferences.js';
import {
  type CloudCluster,
  type CloudPoint,
  type ExportedFile,
  exportPoints,
  type SetRole,
  usePointCloud,
} from '../api/point-cloud.js';
import { PointCloud } from '../components/point-cloud/PointCloud.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { formatMetric } from './model-format.js';

/** Phoenix's colours by inference set (light theme). */
const SET_COLORS: Record<SetRole, [number, number, number]> = {
  primary: [0x00 / 255, 0xad / 255, 0xd0 / 255],
  reference: [0x45 / 255, 0x00 / 255, 0xd9 / 255],
  corpus: [0xa5 / 255, 0xa5 / 255, 0xa5 / 255],
};

type ClusterSort = 'drift' | 'size';

/** Phoenix's /model/embeddings/:name: the UMAP point cloud, its clusters ranked by drift, selection and export. */
export function EmbeddingPage() {
  const name = useParams().name ?? '';
  const info = useInferences();
  const known = info.data?.embeddings.some((e) => e.name === name) ?? false;
  if (info.isPending) return <Loading label="Loading the model…" />;
  if (info.isError) return <ErrorState error={info.error} retry={() => void info.refetch()} />;
  if (!known) {
    return (
      <div className="page">
        <Empty title="Unknown embedding">
          <p>
            The model has no embedding named “{name}”. <Link to="/model">Back to the model</Link>
          </p>
        </Empty>
      </div>
    );
  }
  return <EmbeddingCloud name={name} />;
}

function EmbeddingCloud({ name }: { name: string }) {
  const cloud = usePointCloud(name);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [selectedCluster, setSelectedCluster] = useState<CloudCluster | null>(null);
  const [sort, setSort] = useState<ClusterSort>('drift');
  const [exported, setExported] = useState<ExportedFile | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const points = cloud.data?.points ?? [];
  const arrays = useMemo(() => cloudArrays(points), [points]);
  const indexOf = useMemo(() => new Map(points.map((p, i) => [p.event_id, i])), [points]);
  const clusters = useMemo(() => sortClusters(cloud.data?.clusters ?? [], sort), [cloud.data, sort]);

  const selectCluster = (cluster: CloudCluster) => {
    setSelectedCluster(cluster);
    setSelected(new Set(cluster.event_ids.map((id) => indexOf.get(id)).filter((i) => i !== undefined)));
  };
  const selectPoints = (indices: number[]) => {
    setSelectedCluster(null);
    setSelected(new Set(indices));
  };
  const runExport = async () => {
    setExportError(null);
    try {
      const eventIds = [...selected].map((i) => points[i]!.event_id);
      setExported(await exportPoints(selectedCluster ? { cluster: selectedCluster } : { eventIds }));
    } catch (error) {
      setExportError((error as Error).message);
    }
  };

  return (
    <div className="page embedding-page">
      <div className="page-header">
        <nav className="breadcrumbs" aria-label="Breadcrumbs">
          <Link to="/model">Model</Link> / <span>{name}</span>
        </nav>
        <h1>{name}</h1>
        {cloud.data && (
          <span className="muted">
            {points.length.toLocaleString()} points · primary window {cloud.data.window.start_time} →{' '}
            {cloud.data.window.end_time}
          </span>
        )}
      </div>
      {cloud.isPending ? (
        <Loading label="Projecting the embedding (UMAP)…" />
      ) : cloud.isError ? (
        <ErrorState error={cloud.error} retry={() => void cloud.refetch()} />
      ) : (
        <div className="embedding-layout">
          <section className="block cluster-list" aria-labelledby="clusters-title">
            <h2 className="block-title" id="clusters-title">
              Clusters
            </h2>
            <label>
              Sort by{' '}
              <select
                aria-label="Sort clusters"
                value={sort}
                onChange={(e) => setSort(e.target.value as ClusterSort)}
              >
                <option value="drift">Most drift</option>
                <option value="size">Largest</option>
              </select>
            </label>
            <ul data-testid="clusters">
              {clusters.map((cluster) => (
                <li key={cluster.id}>
                  <button
                    type="button"
                    className="cluster-row"
                    aria-pressed={selectedCluster?.id === cluster.id}
                    data-cluster-id={cluster.id}
                    onClick={() => selectCluster(cluster)}
                  >
                    <span>Cluster {cluster.id}</span>
                    <span className="muted">{cluster.size} points</span>
                    <PrimaryShare ratio={cluster.drift_ratio} />
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <section className="block cloud-block" aria-label="Point cloud">
            <PointCloud
              positions={arrays.positions}
              colors={arrays.colors}
              ids={arrays.ids}
              dimensions={cloud.data.n_components === 2 ? 2 : 3}
              pointSize={4}
              mode="move"
              selected={selected}
              onSelect={selectPoints}
              tooltip={(i) => pointLabel(points[i]!)}
            />
          </section>
          <section className="block selection-panel" aria-labelledby="selection-title">
            <h2 className="block-title" id="selection-title">
              Selection
            </h2>
            <p data-testid="selection-count">{selected.size} points selected</p>
            <button
              type="button"
              className="export-button"
              disabled={selected.size === 0}
              onClick={() => void runExport()}
            >
              Export
            </button>
            {exportError && <p role="alert">{exportError}</p>}
            <ul className="selection-list">
              {[...selected].slice(0, 200).map((i) => (
                <li key={points[i]!.event_id} data-event-id={points[i]!.event_id}>
                  {pointLabel(points[i]!)}
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
      {exported && <ExportDialog file={exported} onClose={() => setExported(null)} />}
    </div>
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

function ExportDialog({ file, onClose }: { file: ExportedFile; onClose: () => void }) {
  const snippet = 'activeSession()!.exports.at(-1)';
  return (
    <div role="dialog" aria-label="Exported" className="export-dialog">
      <p>
        Exported {file.row_count.toLocaleString()} rows to{' '}
        <code data-testid="export-file">{file.file_name}</code>
      </p>
      <p>
        <a href={file.url} download>
          Download {file.file_name}.parquet
        </a>
      </p>
      <p>
        In your script: <code>{snippet}</code>{' '}
        <button type="button" onClick={() => void navigator.clipboard?.writeText(snippet)}>
          Copy
        </button>
      </p>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </div>
  );
}

function pointLabel(point: CloudPoint): string {
  const text = point.raw_data ?? point.link_to_data ?? point.event_id;
  return `${point.prediction_id ?? point.event_id} · ${point.set} · ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`;
}

/** Most drift: drift_ratio descending, nulls last; largest: size descending. */
function sortClusters(clusters: readonly CloudCluster[], sort: ClusterSort): CloudCluster[] {
  const key = (c: CloudCluster) => (sort === 'size' ? c.size : c.drift_ratio);
  return [...clusters].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === null) return y === null ? 0 : 1;
    if (y === null) return -1;
    return y - x;
  });
}

function cloudArrays(points: readonly CloudPoint[]) {
  const positions = new Float32Array(points.length * 3);
  const colors = new Float32Array(points.length * 3);
  points.forEach((point, i) => {
    positions.set([point.coordinates[0] ?? 0, point.coordinates[1] ?? 0, point.coordinates[2] ?? 0], 3 * i);
    colors.set(SET_COLORS[point.set], 3 * i);
  });
  return { positions, colors, ids: points.map((p) => p.event_id) };
}
