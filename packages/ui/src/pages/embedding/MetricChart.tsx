import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { InferencesSet } from '../../api/inferences.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { type EmbeddingMetric, metricKey, metricLabel, useMetricSeries } from './metric-series.js';

const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/**
 * The metric over the primary set above the cloud. A click on a point moves the UMAP window's end
 * there (the cloud is projected again); the window in use is shaded.
 */
export function MetricChart({
  name,
  metric,
  metrics,
  onMetricChange,
  primary,
  window,
  onWindowEnd,
}: {
  name: string;
  metric: EmbeddingMetric;
  metrics: readonly EmbeddingMetric[];
  onMetricChange: (metric: EmbeddingMetric) => void;
  primary: InferencesSet;
  window: { start_time: string; end_time: string } | null;
  onWindowEnd: (end: string) => void;
}) {
  const series = useMetricSeries(name, metric, primary);
  const rows = series.points.map((p) => ({ time: Date.parse(p.timestamp), value: p.value }));
  const label = metricLabel(metric);
  return (
    <section className="block embedding-metric" aria-labelledby="embedding-metric-title">
      <div className="embedding-metric-header">
        <h2 className="block-title" id="embedding-metric-title">
          {label} over time
        </h2>
        <label>
          Metric{' '}
          <select
            aria-label="Metric"
            value={metricKey(metric)}
            onChange={(e) => onMetricChange(metrics.find((m) => metricKey(m) === e.target.value)!)}
          >
            {metrics.map((m) => (
              <option key={metricKey(m)} value={metricKey(m)}>
                {metricLabel(m)}
              </option>
            ))}
          </select>
        </label>
        {window && (
          <span className="muted" data-testid="umap-window">
            UMAP window: {dateTimeFormat.format(new Date(window.start_time))} →{' '}
            {dateTimeFormat.format(new Date(window.end_time))}
          </span>
        )}
      </div>
      <figure
        className="chart embedding-metric-chart"
        aria-label={`${label} over time`}
        data-testid="metric-chart"
      >
        {series.isError ? (
          <ErrorState error={series.error} retry={() => void series.refetch()} />
        ) : series.isPending ? (
          <Loading label={`Loading ${label.toLowerCase()}…`} />
        ) : rows.every((r) => r.value === null) ? (
          <Empty title="No data in this range" />
        ) : (
          <ResponsiveContainer width="100%" height={160}>
            <LineChart
              data={rows}
              margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
              onClick={(state) => {
                const index = Number(state?.activeTooltipIndex ?? state?.activeIndex);
                const row = Number.isInteger(index) ? rows[index] : undefined;
                if (row) onWindowEnd(new Date(row.time).toISOString());
              }}
              style={{ cursor: 'pointer' }}
            >
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="time"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                tickFormatter={(v: number) => dayFormat.format(new Date(v))}
                stroke="var(--muted)"
              />
              <YAxis
                stroke="var(--muted)"
                width={56}
                tickFormatter={(v: number) => String(Number(v.toFixed(3)))}
              />
              <Tooltip labelFormatter={(v) => dateTimeFormat.format(new Date(Number(v)))} />
              {window && (
                <ReferenceArea
                  x1={Math.max(Date.parse(window.start_time), rows[0]?.time ?? 0)}
                  x2={Math.min(Date.parse(window.end_time), rows.at(-1)?.time ?? 0)}
                  fill="var(--accent)"
                  fillOpacity={0.12}
                  ifOverflow="hidden"
                />
              )}
              <Line
                dataKey="value"
                name={label}
                stroke="var(--accent)"
                dot={{ r: 3 }}
                activeDot={{ r: 5 }}
                strokeWidth={2}
                isAnimationActive={false}
                type="monotone"
              />
            </LineChart>
          </ResponsiveContainer>
        )}
      </figure>
    </section>
  );
}
