import type { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { TimeSeriesPoint } from '../api/inferences.js';
import { Empty, ErrorState, Loading } from './states.js';

const HEIGHT = 220;
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatDay = (value: number) => dayFormat.format(new Date(value));
const formatDateTime = (value: unknown) => dateTimeFormat.format(new Date(Number(value)));
const formatTick = (value: number) =>
  Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-2)
    ? value.toExponential(1)
    : String(Number(value.toFixed(3)));

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** A chart's card: its heading, then the chart, or its loading / error / empty state. */
export function ChartPanel({
  title,
  testId,
  queries,
  empty,
  children,
}: {
  title: string;
  testId: string;
  queries: QueryLike[];
  empty: boolean;
  children: ReactNode;
}) {
  const failed = queries.find((q) => q.isError);
  const headingId = `${testId}-title`;
  return (
    <section className="card chart-panel" aria-labelledby={headingId}>
      <h2 className="block-title" id={headingId}>
        {title}
      </h2>
      <figure className="chart" aria-label={title} data-testid={testId}>
        {failed ? (
          <ErrorState error={failed.error} retry={() => void failed.refetch()} />
        ) : queries.some((q) => q.isPending) ? (
          <Loading label={`Loading ${title.toLowerCase()}…`} />
        ) : empty ? (
          <Empty title="No data in this range" />
        ) : (
          children
        )}
      </figure>
    </section>
  );
}

export interface Series {
  key: string;
  label: string;
  color: string;
  points: TimeSeriesPoint[];
}

/** Rows keyed by time, one value column per series, as recharts reads them. */
function byTime(series: Series[]): Record<string, number | null>[] {
  const rows = new Map<number, Record<string, number | null>>();
  for (const s of series) {
    for (const point of s.points) {
      const time = Date.parse(point.timestamp);
      const row = rows.get(time) ?? { time };
      row[s.key] = point.value;
      rows.set(time, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.time as number) - (b.time as number));
}

export function TimeLineChart({ series }: { series: Series[] }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={byTime(series)} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey="time"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={formatDay}
          stroke="var(--muted)"
        />
        <YAxis tickFormatter={formatTick} stroke="var(--muted)" width={56} />
        <Tooltip labelFormatter={formatDateTime} />
        {series.length > 1 && <Legend />}
        {series.map((s) => (
          <Line
            key={s.key}
            dataKey={s.key}
            name={s.label}
            stroke={s.color}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
            type="monotone"
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function TimeBarChart({ series }: { series: Series }) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={byTime([series])} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={formatDay} stroke="var(--muted)" />
        <YAxis tickFormatter={formatTick} stroke="var(--muted)" width={56} />
        <Tooltip labelFormatter={formatDateTime} />
        <Bar dataKey={series.key} name={series.label} fill={series.color} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export interface DistributionRow {
  bin: string;
  primary: number;
  reference: number | null;
}

/** Each bin's share of its set, primary beside reference. */
export function DistributionChart({
  rows,
  withReference,
}: {
  rows: DistributionRow[];
  withReference: boolean;
}) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT + 40}>
      <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 24, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="bin" stroke="var(--muted)" interval={0} angle={-20} textAnchor="end" height={48} />
        <YAxis unit=" %" stroke="var(--muted)" width={56} />
        <Tooltip formatter={(value) => `${Number(value).toFixed(1)} %`} />
        <Legend />
        <Bar dataKey="primary" name="Primary" fill="var(--accent)" isAnimationActive={false} />
        {withReference && (
          <Bar dataKey="reference" name="Reference" fill="var(--k-chain)" isAnimationActive={false} />
        )}
      </BarChart>
    </ResponsiveContainer>
  );
}
