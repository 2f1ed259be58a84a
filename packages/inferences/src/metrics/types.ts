/**
 * The shapes the metric engine reads. An inference set is held in columns, its rows sorted by time;
 * every metric reads one set's rows [start, end) (a time window is a row span, found by binary search
 * over the sorted timestamps).
 */

/** Epoch milliseconds; fractional, so that the microseconds of a timestamp are kept. */
export type Instant = number;

/** A right-open time range [start, end), in epoch milliseconds. */
export interface TimeRange {
  start: Instant;
  end: Instant;
}

/** Rows [start, end) of one set (indices into its time-sorted rows). */
export interface RowSpan {
  start: number;
  end: number;
}

/** How Phoenix treats a dimension: binned by quantiles (continuous) or one bin per value (discrete). */
export type DimensionShape = 'continuous' | 'discrete';

/**
 * One dimension's values in one set; value i belongs to row i. `dtype` is the column's type as
 * loaded (Phoenix's rules depend on it: no cardinality for floats, say).
 */
export type DimensionValues =
  | {
      kind: 'numeric';
      dtype: 'int' | 'float' | 'bool' | 'datetime';
      /** NaN = missing. Booleans are 0 / 1; datetimes are epoch milliseconds. */
      values: Float64Array;
    }
  | { kind: 'categorical'; values: readonly (string | null)[] };

/** One embedding's vectors in one set, row-major in one block: row i is data[i*dimension, (i+1)*dimension). */
export interface EmbeddingVectors {
  dimension: number;
  data: Float32Array;
  /** 1 where row i has a vector, 0 where it is null (its slice of `data` is then meaningless). */
  present: Uint8Array;
}

/** Phoenix's granularity of a time series: each point t covers [t − window, t); points every interval, counted back from the end. */
export interface Granularity {
  evaluationWindowMinutes: number;
  samplingIntervalMinutes: number;
}

/** One point of a time series; `value` is null where Phoenix gives NaN (an empty window, say). */
export interface TimeSeriesPoint {
  timestamp: Instant;
  value: number | null;
}
