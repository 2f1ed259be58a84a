import { METRIC_SERIES, type MetricName, type MetricPoint } from '../store/repositories/metrics.js';

export interface MetricSeries {
  name: string;
  values: (number | null)[];
}

/**
 * Every series of `metric` over every bucket start in `starts`: the metric's fixed series in their
 * order (annotation names sorted), empty buckets filled with 0 for counts and null otherwise.
 */
export function denseSeries(
  metric: MetricName,
  starts: readonly number[],
  points: MetricPoint[],
): MetricSeries[] {
  const { series, empty } = METRIC_SERIES[metric];
  const names = series.length > 0 ? series : [...new Set(points.map((p) => p.series))].sort();
  const index = new Map(starts.map((start, i) => [start, i]));
  const byName = new Map(names.map((name) => [name, starts.map((): number | null => empty)]));
  for (const point of points) {
    const i = index.get(point.bucket);
    const values = byName.get(point.series);
    if (i !== undefined && values) values[i] = point.value;
  }
  return names.map((name) => ({ name, values: byName.get(name)! }));
}
