import type { Granularity, Instant, TimeRange, TimeSeriesPoint } from './types.js';

const MINUTE = 60_000;

/**
 * The windows of a time series, oldest first: one point every sampling interval counted back from
 * the range's end while it is after the range's start, each point t covering [t − window, t).
 */
export function seriesWindows(
  range: TimeRange,
  granularity: Granularity,
): { timestamp: Instant; window: TimeRange }[] {
  const interval = granularity.samplingIntervalMinutes * MINUTE;
  const window = granularity.evaluationWindowMinutes * MINUTE;
  const points: { timestamp: Instant; window: TimeRange }[] = [];
  for (let t = range.end; t > range.start; t -= interval) {
    points.push({ timestamp: t, window: { start: t - window, end: t } });
  }
  return points.reverse();
}

/** A series of `value(window)` over the windows (NaN becomes null). */
export function timeSeries(
  range: TimeRange,
  granularity: Granularity,
  value: (window: TimeRange) => number | null,
): TimeSeriesPoint[] {
  return seriesWindows(range, granularity).map(({ timestamp, window }) => {
    const v = value(window);
    return { timestamp, value: v === null || Number.isNaN(v) ? null : v };
  });
}
