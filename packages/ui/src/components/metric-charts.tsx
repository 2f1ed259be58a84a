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
import type { MetricSeriesSet } from '../api/metrics.js';

const HEIGHT = 220;

/** How a series is drawn: its label and colour. */
export interface SeriesStyle {
  label: string;
  color: string;
}

const FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  minute: { hour: '2-digit', minute: '2-digit' },
  hour: { month: 'short', day: 'numeric', hour: '2-digit' },
  day: { month: 'short', day: 'numeric' },
  week: { month: 'short', day: 'numeric' },
  month: { year: 'numeric', month: 'short' },
  year: { year: 'numeric' },
};

function tickFormat(bucket: string) {
  const format = new Intl.DateTimeFormat(undefined, FORMATS[bucket] ?? FORMATS.day);
  return (value: number) => format.format(new Date(value));
}

const tooltipFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One row per bucket, one column per series, as recharts reads them. */
function rows(set: MetricSeriesSet, names: string[]): Record<string, number | null>[] {
  return set.timestamps.map((timestamp, i) => {
    const row: Record<string, number | null> = { time: Date.parse(timestamp) };
    for (const s of set.series) if (names.includes(s.name)) row[s.name] = s.values[i] ?? null;
    return row;
  });
}

/** Sum of a series' values (for a chart's heading). */
export function seriesTotal(set: MetricSeriesSet | undefined, name: string): number {
  return set?.series.find((s) => s.name === name)?.values.reduce<number>((a, b) => a + (b ?? 0), 0) ?? 0;
}

/** Counts per bucket, the named series stacked. */
export function StackedBars({ set, styles }: { set: MetricSeriesSet; styles: Record<string, SeriesStyle> }) {
  const names = Object.keys(styles);
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <BarChart data={rows(set, names)} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={tickFormat(set.bucket)} stroke="var(--muted)" minTickGap={24} />
        <YAxis allowDecimals={false} stroke="var(--muted)" width={56} />
        <Tooltip labelFormatter={(value) => tooltipFormat.format(new Date(Number(value)))} />
        <Legend />
        {names.map((name) => (
          <Bar
            key={name}
            dataKey={name}
            name={styles[name]!.label}
            stackId="counts"
            fill={styles[name]!.color}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Values per bucket as lines; empty buckets leave gaps. */
export function Lines({
  set,
  styles,
  unit,
}: {
  set: MetricSeriesSet;
  styles: Record<string, SeriesStyle>;
  unit?: string;
}) {
  const names = Object.keys(styles);
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={rows(set, names)} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={tickFormat(set.bucket)} stroke="var(--muted)" minTickGap={24} />
        <YAxis stroke="var(--muted)" width={72} {...(unit ? { unit } : {})} />
        <Tooltip labelFormatter={(value) => tooltipFormat.format(new Date(Number(value)))} />
        <Legend />
        {names.map((name) => (
          <Line
            key={name}
            dataKey={name}
            name={styles[name]!.label}
            stroke={styles[name]!.color}
            dot={{ r: 2 }}
            strokeWidth={2}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
