import { numericValues, presentValues, quantiles } from './numeric.js';
import type { DimensionValues, RowSpan } from './types.js';

/** Phoenix's data quality figures of one dimension over some rows; null where Phoenix gives NaN. */
export interface DataQuality {
  count: number;
  cardinality: number | null;
  percentEmpty: number | null;
  mean: number | null;
  sum: number;
  min: number | null;
  max: number | null;
  p01: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p99: number | null;
}

export type DataQualityField = keyof DataQuality;
export const DATA_QUALITY_FIELDS: readonly DataQualityField[] = [
  'count',
  'cardinality',
  'percentEmpty',
  'mean',
  'sum',
  'min',
  'max',
  'p01',
  'p25',
  'p50',
  'p75',
  'p99',
];

const QUANTILE_PROBABILITIES = [0.01, 0.25, 0.5, 0.75, 0.99];

export const nanToNull = (x: number): number | null => (Number.isNaN(x) ? null : x);

function isMissing(values: DimensionValues, i: number): boolean {
  return values.kind === 'numeric' ? Number.isNaN(values.values[i]!) : values.values[i] == null;
}

/** Rows whose value is missing (NaN / null). */
export function missingCount(values: DimensionValues, span: RowSpan): number {
  let n = 0;
  for (let i = span.start; i < span.end; i++) if (isMissing(values, i)) n++;
  return n;
}

/** Distinct non-missing values; NaN (null) for float columns, as Phoenix's Cardinality. */
export function cardinality(values: DimensionValues, span: RowSpan): number | null {
  if (values.kind === 'numeric' && values.dtype === 'float') return null;
  const seen = new Set<string | number>();
  for (let i = span.start; i < span.end; i++) {
    if (!isMissing(values, i)) seen.add(values.values[i]!);
  }
  return seen.size;
}

/** `isna().mean() * 100`: NaN (null) over no rows. */
export function percentEmpty(values: DimensionValues, span: RowSpan): number | null {
  const count = span.end - span.start;
  return count === 0 ? null : (missingCount(values, span) / count) * 100;
}

/**
 * Every data quality figure of `values` over `span` (Phoenix's DataQualityMetric): mean, sum, min,
 * max and quantiles after coercion to numbers (pandas' `to_numeric(errors="coerce")`; the sum of
 * no numbers is 0, as pandas'), quantiles as numpy's `nanquantile` (linear).
 */
export function dataQuality(values: DimensionValues, span: RowSpan): DataQuality {
  const numbers = numericValues(values, span);
  // Summed in row order, as pandas does.
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let i = 0; i < numbers.length; i++) {
    const x = numbers[i]!;
    if (Number.isNaN(x)) continue;
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const [p01, p25, p50, p75, p99] = quantiles(presentValues(numbers), QUANTILE_PROBABILITIES).map(
    nanToNull,
  ) as (number | null)[];
  return {
    count: span.end - span.start,
    cardinality: cardinality(values, span),
    percentEmpty: percentEmpty(values, span),
    mean: n === 0 ? null : sum / n,
    sum,
    min: n === 0 ? null : min,
    max: n === 0 ? null : max,
    p01: p01!,
    p25: p25!,
    p50: p50!,
    p75: p75!,
    p99: p99!,
  };
}
