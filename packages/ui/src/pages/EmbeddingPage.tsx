import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { type InferencesInfo, useInferences } from '../api/inferences.js';
import {
  type CloudCluster,
  type CloudPoint,
  type ClusterParameters,
  type ExportedFile,
  exportPoints,
  fieldErrors,
  type ProjectionParameters,
  reclusterPoints,
  usePointCloud,
} from '../api/point-cloud.js';
import { PointCloud } from '../components/point-cloud/PointCloud.js';
import type { PointCloudHandle } from '../components/point-cloud/types.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { CloudToolbar, type ColorOption } from './embedding/CloudToolbar.js';
import { ClusterList } from './embedding/ClusterList.js';
import { type ClusterMetric, type ClusterSort, sortClusters } from './embedding/cluster-sort.js';
import { type ColorBy, pointColors } from './embedding/coloring.js';
import { ExportDialog } from './embedding/ExportDialog.js';
import { MetricChart } from './embedding/MetricChart.js';
import { type EmbeddingMetric, metricLabel } from './embedding/metric-series.js';
import { ProjectionProgress } from './embedding/ProjectionProgress.js';
import { SelectionPanel } from './embedding/SelectionPanel.js';
import { SettingsPanel } from './embedding/SettingsPanel.js';
import './embedding/embedding.css';

declare global {
  interface Window {
    /** The cloud's handle, for the browser tests (where each point is on screen). */
    __embeddingCloud?: PointCloudHandle | null;
  }
}

/** Phoenix's /model/embeddings/:name: the UMAP point cloud, its clusters ranked by drift, selection and export. */
export function EmbeddingPage() {
  const name = useParams().name ?? '';
  const info = useInferences();
  const known = info.data?.embeddings.some((e) => e.name === name) ?? false;
  if (info.isPending) return <Loading label="Loading the model…" />;
  if (info.isError) return <ErrorState error={info.error} retry={() => void info.refetch()} />;
  if (!info.data || !known) {
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
  return <EmbeddingCloud key={name} name={name} info={info.data} />;
}

interface Selection {
  points: readonly CloudPoint[];
  indices: ReadonlySet<number>;
  cluster: CloudCluster | null;
}

function metricsOf(info: InferencesInfo): EmbeddingMetric[] {
  const hasLabels = ['prediction', 'actual'].every((type) => info.dimensions.some((d) => d.type === type));
  return [
    ...(info.reference ? [{ kind: 'euclidean_distance' as const }] : []),
    ...(hasLabels ? [{ kind: 'accuracy' as const }] : []),
    ...info.dimensions
      .filter((d) => (d.type === 'feature' || d.type === 'tag') && d.data_type === 'numeric')
      .map((d) => ({ kind: 'mean' as const, dimension: d.name })),
  ];
}

function colorOptionsOf(info: InferencesInfo): ColorOption[] {
  const hasLabels = ['prediction', 'actual'].every((type) => info.dimensions.some((d) => d.type === type));
  return [
    { key: 'set', label: 'Inference set', value: { kind: 'set' } },
    ...(hasLabels
      ? [{ key: 'correctness', label: 'Correctness', value: { kind: 'correctness' } as const }]
      : []),
    ...info.dimensions
      .filter((d) => d.type === 'feature' || d.type === 'tag')
      .map((d) => ({
        key: `dimension:${d.name}`,
        label: d.name,
        value: { kind: 'dimension', name: d.name } as const,
      })),
  ];
}

function EmbeddingCloud({ name, info }: { name: string; info: InferencesInfo }) {
  const [projection, setProjection] = useState<ProjectionParameters>({});
  const [hdbscan, setHdbscan] = useState<ClusterParameters>({});
  const metrics = useMemo(() => metricsOf(info), [info]);
  const colorOptions = useMemo(() => colorOptionsOf(info), [info]);
  const [metric, setMetric] = useState<EmbeddingMetric>(metrics[0] ?? { kind: 'euclidean_distance' });
  const [mode, setMode] = useState<'move' | 'lasso'>('move');
  const [pointSize, setPointSize] = useState(4);
  const [colorBy, setColorBy] = useState<ColorBy>({ kind: 'set' });
  const [sort, setSort] = useState<ClusterSort>(info.reference ? 'drift' : 'size-desc');
  const [exported, setExported] = useState<ExportedFile | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const cloud = usePointCloud(name, projection);
  const points = cloud.data?.points ?? [];
  const clusterMetric: ClusterMetric | null =
    metric.kind === 'accuracy' ? { kind: 'accuracy' } : metric.kind === 'mean' ? metric : null;
  const metricDimension = metric.kind === 'mean' ? metric.dimension : undefined;
  const needsRecluster = Object.keys(hdbscan).length > 0 || metricDimension !== undefined;
  const reclustered = useQuery({
    queryKey: ['inferences', 'point-cloud-clusters', name, projection, hdbscan, metricDimension ?? ''],
    queryFn: () =>
      reclusterPoints(name, points, {
        ...hdbscan,
        ...(metricDimension ? { metric_dimension: metricDimension } : {}),
      }),
    enabled: needsRecluster && cloud.isSuccess && !cloud.isPlaceholderData,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const rawClusters = (needsRecluster ? reclustered.data : undefined) ?? cloud.data?.clusters ?? [];
  const clusters = useMemo(
    () => sortClusters(rawClusters, sort, clusterMetric),
    [rawClusters, sort, clusterMetric],
  );

  const [selection, setSelection] = useState<Selection>({ points: [], indices: new Set(), cluster: null });
  const selected = selection.points === points ? selection.indices : new Set<number>();
  const selectedCluster = selection.points === points ? selection.cluster : null;
  const positions = useMemo(() => positionsOf(points), [points]);
  const ids = useMemo(() => points.map((p) => p.event_id), [points]);
  const coloring = useMemo(() => pointColors(points, colorBy), [points, colorBy]);
  const indexOf = useMemo(() => new Map(points.map((p, i) => [p.event_id, i])), [points]);
  const selectedPoints = useMemo(() => [...selected].map((i) => points[i]!), [selected, points]);

  const selectCluster = (cluster: CloudCluster) =>
    setSelection({
      points,
      cluster,
      indices: new Set(cluster.event_ids.map((id) => indexOf.get(id)).filter((i) => i !== undefined)),
    });
  const runExport = async () => {
    setExportError(null);
    try {
      const eventIds = selectedPoints.map((p) => p.event_id);
      setExported(await exportPoints(selectedCluster ? { cluster: selectedCluster } : { eventIds }));
    } catch (error) {
      setExportError((error as Error).message);
    }
  };
  const dimensions = (projection.n_components ?? cloud.data?.n_components ?? 3) === 2 ? 2 : 3;
  const serverErrors = {
    ...(cloud.isError ? fieldErrors(cloud.error) : {}),
    ...(reclustered.isError ? fieldErrors(reclustered.error) : {}),
  };

  return (
    <div className="page embedding-page">
      <div className="page-header">
        <nav className="breadcrumbs" aria-label="Breadcrumbs">
          <Link to="/model">Model</Link> / <span>{name}</span>
        </nav>
        <h1>{name}</h1>
        {cloud.data && <span className="muted">{points.length.toLocaleString()} points</span>}
      </div>
      {metrics.length > 0 && (
        <MetricChart
          name={name}
          metric={metric}
          metrics={metrics}
          onMetricChange={setMetric}
          primary={info.primary}
          window={cloud.data?.window ?? null}
          onWindowEnd={(end) => setProjection({ ...projection, window_end: end })}
        />
      )}
      <CloudToolbar
        mode={mode}
        onModeChange={setMode}
        dimensions={dimensions}
        onDimensionsChange={(d) => setProjection({ ...projection, n_components: d })}
        pointSize={pointSize}
        onPointSizeChange={setPointSize}
        colorBy={colorBy}
        colorOptions={colorOptions}
        onColorByChange={setColorBy}
        legend={coloring.legend}
      />
      {cloud.isFetching && <ProjectionProgress name={name} />}
      {cloud.isPending ? (
        <Loading label="Projecting the embedding (UMAP)…" />
      ) : cloud.isError && !cloud.data ? (
        <ErrorState error={cloud.error} retry={() => void cloud.refetch()} />
      ) : (
        <div className="embedding-layout">
          <ClusterList
            clusters={clusters}
            sort={sort}
            onSortChange={setSort}
            metric={clusterMetric}
            metricLabel={metricLabel(metric)}
            hasReference={info.reference !== null}
            selectedId={selectedCluster?.id ?? null}
            onSelect={selectCluster}
          />
          <section className="block cloud-block" aria-label="Point cloud">
            <PointCloud
              ref={(handle) => {
                window.__embeddingCloud = handle;
              }}
              positions={positions}
              colors={coloring.colors}
              ids={ids}
              dimensions={cloud.data?.n_components === 2 ? 2 : 3}
              pointSize={pointSize}
              mode={mode}
              selected={selected}
              onSelect={(indices) => setSelection({ points, indices: new Set(indices), cluster: null })}
              tooltip={(i) => pointLabel(points[i]!)}
            />
          </section>
          <SettingsPanel
            umap={{
              n_neighbors: projection.n_neighbors ?? info.default_umap_parameters.n_neighbors,
              min_dist: projection.min_dist ?? info.default_umap_parameters.min_dist,
              n_samples: projection.n_samples ?? info.default_umap_parameters.n_samples,
            }}
            hdbscan={hdbscan}
            onApplyUmap={(values) => setProjection({ ...projection, ...values })}
            onApplyHdbscan={(values) => setHdbscan(values)}
            serverErrors={serverErrors}
            pointSize={pointSize}
            onPointSizeChange={setPointSize}
            busy={cloud.isFetching || reclustered.isFetching}
          />
          <SelectionPanel
            points={selectedPoints}
            title={selectedCluster ? `cluster ${selectedCluster.id}` : ''}
            onExport={() => void runExport()}
            exportError={exportError}
          />
        </div>
      )}
      {exported && <ExportDialog file={exported} onClose={() => setExported(null)} />}
    </div>
  );
}

function pointLabel(point: CloudPoint): string {
  const text = point.raw_data ?? point.link_to_data ?? point.event_id;
  return `${point.prediction_id ?? point.event_id} · ${point.set} · ${text.length > 120 ? `${text.slice(0, 120)}…` : text}`;
}

function positionsOf(points: readonly CloudPoint[]): Float32Array {
  const positions = new Float32Array(points.length * 3);
  points.forEach((point, i) => {
    positions.set([point.coordinates[0] ?? 0, point.coordinates[1] ?? 0, point.coordinates[2] ?? 0], 3 * i);
  });
  return positions;
}
