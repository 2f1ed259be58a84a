import { Link, useParams } from 'react-router-dom';
import {
  DAILY,
  type DimensionSeriesMetric,
  type Granularity,
  ROLLING_DRIFT,
  type Segment,
  useDimensionSeries,
  useInferences,
  useSegments,
} from '../api/inferences.js';
import {
  ChartPanel,
  DistributionChart,
  type DistributionRow,
  type Series,
  TimeBarChart,
  TimeLineChart,
} from '../components/charts.js';
import { ModelRangePicker } from '../components/ModelRangePicker.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { formatMetric } from './model-format.js';
import { rangeSearch, useModelRange } from './model-range.js';

/** Phoenix's /model/dimensions/:name: a dimension's distribution and its metrics over time. */
export function DimensionPage() {
  const name = useParams().name ?? '';
  const info = useInferences();
  const [range, setRange] = useModelRange();
  if (info.isPending) return <Loading label="Loading the model…" />;
  if (info.isError) return <ErrorState error={info.error} retry={() => void info.refetch()} />;
  const dimension = info.data?.dimensions.find((d) => d.name === name);
  if (!info.data || !dimension) {
    return (
      <div className="page">
        <Empty title="Unknown dimension">
          <p>
            The model has no dimension named “{name}”. <Link to="/model">Back to the model</Link>
          </p>
        </Empty>
      </div>
    );
  }
  const hasReference = info.data.reference !== null;
  return (
    <div className="page dimension-page">
      <div className="page-header">
        <nav className="breadcrumbs" aria-label="Breadcrumbs">
          <Link to={`/model${rangeSearch(range)}`}>Model</Link> / <span>{name}</span>
        </nav>
        <h1>{name}</h1>
        <span className="muted">
          {dimension.type} · {dimension.data_type}
        </span>
        <div className="toolbar" aria-label="Time ranges" role="toolbar">
          <ModelRangePicker primary={info.data.primary} range={range} onChange={setRange} />
        </div>
      </div>
      <div className="chart-grid">
        <DistributionPanel name={name} hasReference={hasReference} />
        {hasReference && (
          <MetricPanel
            name={name}
            title="PSI over time"
            testId="psi-chart"
            metrics={[{ metric: 'psi', label: 'PSI', color: 'var(--accent)' }]}
            granularity={ROLLING_DRIFT}
          />
        )}
        <MetricPanel
          name={name}
          title="Count over time"
          testId="count-chart"
          metrics={[{ metric: 'count', label: 'Count', color: 'var(--k-chain)' }]}
          granularity={DAILY}
          bars
        />
        {dimension.data_type === 'numeric' && (
          <MetricPanel
            name={name}
            title="Quantiles over time"
            testId="quantiles-chart"
            metrics={QUANTILES}
            granularity={ROLLING_DRIFT}
          />
        )}
        <MetricPanel
          name={name}
          title="Cardinality over time"
          testId="cardinality-chart"
          metrics={[{ metric: 'cardinality', label: 'Cardinality', color: 'var(--k-llm)' }]}
          granularity={ROLLING_DRIFT}
        />
        <MetricPanel
          name={name}
          title="% empty over time"
          testId="percent-empty-chart"
          metrics={[{ metric: 'percent_empty', label: '% empty', color: 'var(--error)' }]}
          granularity={ROLLING_DRIFT}
        />
      </div>
    </div>
  );
}

interface MetricLine {
  metric: DimensionSeriesMetric;
  label: string;
  color: string;
}

const QUANTILES: MetricLine[] = [
  { metric: 'p01', label: 'p01', color: 'var(--k-retriever)' },
  { metric: 'p25', label: 'p25', color: 'var(--k-chain)' },
  { metric: 'p50', label: 'p50', color: 'var(--accent)' },
  { metric: 'p75', label: 'p75', color: 'var(--k-llm)' },
  { metric: 'p99', label: 'p99', color: 'var(--k-embedding)' },
];

function MetricPanel({
  name,
  title,
  testId,
  metrics,
  granularity,
  bars = false,
}: {
  name: string;
  title: string;
  testId: string;
  metrics: MetricLine[];
  granularity: Granularity;
  bars?: boolean;
}) {
  return (
    <SeriesQueries name={name} metrics={metrics} granularity={granularity}>
      {(queries, series) => (
        <ChartPanel
          title={title}
          testId={testId}
          queries={queries}
          empty={series.every((s) => s.points.every((p) => p.value === null))}
        >
          {bars && series[0] ? <TimeBarChart series={series[0]} /> : <TimeLineChart series={series} />}
        </ChartPanel>
      )}
    </SeriesQueries>
  );
}

type SeriesQuery = ReturnType<typeof useDimensionSeries>;

/** One query per metric; the list is fixed per panel, so the hooks' order never changes. */
function SeriesQueries({
  name,
  metrics,
  granularity,
  children,
}: {
  name: string;
  metrics: MetricLine[];
  granularity: Granularity;
  children: (queries: SeriesQuery[], series: Series[]) => React.ReactNode;
}) {
  const [range] = useModelRange();
  const queries: SeriesQuery[] = [];
  for (const line of metrics) {
    // biome-ignore lint/correctness/useHookAtTopLevel: `metrics` is a constant per panel
    queries.push(useDimensionSeries(name, line.metric, granularity, range));
  }
  const series = metrics.map((line, i) => ({
    key: line.metric,
    label: line.label,
    color: line.color,
    points: queries[i]?.data ?? [],
  }));
  return <>{children(queries, series)}</>;
}

function DistributionPanel({ name, hasReference }: { name: string; hasReference: boolean }) {
  const [range] = useModelRange();
  const segments = useSegments(name, range);
  const rows = segments.data ? distributionRows(segments.data) : [];
  return (
    <ChartPanel
      title="Distribution"
      testId="distribution-chart"
      queries={[segments]}
      empty={rows.length === 0}
    >
      <DistributionChart rows={rows} withReference={hasReference} />
    </ChartPanel>
  );
}

function distributionRows(segments: Segment[]): DistributionRow[] {
  const primaryTotal = segments.reduce((sum, s) => sum + s.primary, 0);
  const referenceTotal = segments.reduce((sum, s) => sum + (s.reference ?? 0), 0);
  const share = (count: number, total: number) => (total === 0 ? 0 : (100 * count) / total);
  return segments
    .filter((s) => s.primary > 0 || (s.reference ?? 0) > 0)
    .map((s) => ({
      bin: binLabel(s.bin),
      primary: share(s.primary, primaryTotal),
      reference: s.reference === null ? null : share(s.reference, referenceTotal),
    }));
}

function binLabel(bin: Segment['bin']): string {
  if (bin.type === 'nominal') return bin.name;
  if (bin.type === 'missing') return '(missing)';
  const left = bin.left === null ? '−∞' : formatMetric(bin.left, 2);
  const right = bin.right === null ? '+∞' : formatMetric(bin.right, 2);
  return `[${left}, ${right})`;
}
