import type { Granularity, TimeRange } from '../metrics/types.js';
import { InvalidParameterError } from './errors.js';

const MINUTE = 60_000;
const HOUR_MINUTES = 60;
const DAY_MINUTES = 1440;
const ROLLING_WINDOW_MINUTES = 2 * DAY_MINUTES;

/**
 * Phoenix's granularity when none is asked for (`ensure_timeseries_parameters`): one window over
 * the whole range, of its length in whole minutes.
 */
export function wholeRangeGranularity(range: TimeRange): Granularity {
  const minutes = Math.floor((range.end - range.start) / MINUTE);
  if (minutes < 1) {
    throw new InvalidParameterError('a time series needs a time range of one minute or more', 'end_time');
  }
  return { evaluationWindowMinutes: minutes, samplingIntervalMinutes: minutes };
}

/**
 * The granularity Phoenix's UI asks for over a range: `calculateGranularity` (counts, data quality,
 * performance: a window of 1 minute up to an hour, of an hour up to a day, of a day beyond) or,
 * with `rolling`, `calculateGranularityWithRollingAverage` (drift: a 2-day window sampled every
 * minute, hour or day by the same thresholds).
 */
export function uiGranularity(
  range: TimeRange,
  { rolling = false }: { rolling?: boolean } = {},
): Granularity {
  const minutes = (range.end - range.start) / MINUTE;
  const interval = minutes <= HOUR_MINUTES ? 1 : minutes <= DAY_MINUTES ? HOUR_MINUTES : DAY_MINUTES;
  return {
    evaluationWindowMinutes: rolling ? ROLLING_WINDOW_MINUTES : interval,
    samplingIntervalMinutes: interval,
  };
}

/** A granularity of whole, positive minutes (422 otherwise, naming the parameter). */
export function checkGranularity(granularity: Granularity): Granularity {
  const check = (value: number, parameter: string) => {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidParameterError(`${parameter} must be a whole number of minutes, 1 or more`, parameter);
    }
  };
  check(granularity.evaluationWindowMinutes, 'evaluation_window_minutes');
  check(granularity.samplingIntervalMinutes, 'sampling_interval_minutes');
  return granularity;
}
