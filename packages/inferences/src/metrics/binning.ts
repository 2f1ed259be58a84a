import { numericValues, presentValues, quantiles } from './numeric.js';
import type { DimensionShape, DimensionValues, RowSpan } from './types.js';

/**
 * How a dimension's values are put into bins for drift and for the distribution bars, as Phoenix
 * does: one bin per value for discrete dimensions, the reference's deciles for continuous ones.
 * Missing values (and, for intervals, values outside every bin) make a bin of their own.
 */
export type Binning =
  | { kind: 'categorical' }
  | {
      kind: 'quantile';
      /** Ascending; the first is −∞ and the last +∞; bin i is [breaks[i], breaks[i + 1]). */
      breaks: readonly number[];
    };

export type Bin =
  | { type: 'nominal'; name: string }
  | { type: 'interval'; left: number; right: number }
  | { type: 'missing' };

/** Counts per bin, keyed by `binKey`. */
export type Histogram = Map<string, { bin: Bin; count: number }>;

const DECILES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => k / 10);
const MISSING_KEY = 'missing';

export function binKey(bin: Bin): string {
  if (bin.type === 'missing') return MISSING_KEY;
  if (bin.type === 'nominal') return `nominal:${bin.name}`;
  return `interval:${bin.left}:${bin.right}`;
}

/**
 * The binning of a dimension, made from the whole reference set (Phoenix's QuantileBinning: the
 * deciles with min and max, deduplicated; min and max become −∞ and +∞, unless fewer than three
 * distinct breaks remain, where the minimum is kept and two bins are made).
 */
export function referenceBinning(shape: DimensionShape, reference: DimensionValues, span: RowSpan): Binning {
  if (shape === 'discrete') return { kind: 'categorical' };
  const deciles = quantiles(presentValues(numericValues(reference, span)), DECILES).filter(
    (q) => !Number.isNaN(q),
  );
  const distinct = [...new Set(deciles)].sort((a, b) => a - b);
  const inner = distinct.length > 2 ? distinct.slice(1, -1) : distinct.slice(0, 1);
  return { kind: 'quantile', breaks: [-Infinity, ...inner, Infinity] };
}

/** The name Phoenix shows for a discrete value (Python's `str`). */
function nominalName(values: DimensionValues, i: number): string | null {
  if (values.kind === 'categorical') return values.values[i] ?? null;
  const v = values.values[i]!;
  if (Number.isNaN(v)) return null;
  if (values.dtype === 'bool') return v ? 'True' : 'False';
  return String(v);
}

/** The index of the bin [breaks[i], breaks[i+1]) holding x, or −1 (NaN, +∞). */
function intervalIndex(breaks: readonly number[], x: number): number {
  if (Number.isNaN(x) || x === Infinity) return -1;
  let low = 0;
  let high = breaks.length - 1;
  // The last i with breaks[i] <= x.
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (breaks[middle]! <= x) low = middle;
    else high = middle;
  }
  return low;
}

/** Counts of `values` over `span` in each bin of `binning` (bins with no rows are absent). */
export function histogram(binning: Binning, values: DimensionValues, span: RowSpan): Histogram {
  const counts: Histogram = new Map();
  if (binning.kind === 'categorical') {
    const perName = new Map<string, number>();
    let missing = 0;
    for (let i = span.start; i < span.end; i++) {
      const name = nominalName(values, i);
      if (name === null) missing++;
      else perName.set(name, (perName.get(name) ?? 0) + 1);
    }
    for (const [name, count] of perName) {
      const bin: Bin = { type: 'nominal', name };
      counts.set(binKey(bin), { bin, count });
    }
    if (missing > 0) counts.set(MISSING_KEY, { bin: { type: 'missing' }, count: missing });
    return counts;
  }
  const { breaks } = binning;
  const perBin = new Uint32Array(breaks.length - 1);
  let missing = 0;
  const numbers = numericValues(values, span);
  for (let i = 0; i < numbers.length; i++) {
    const b = intervalIndex(breaks, numbers[i]!);
    if (b < 0) missing++;
    else perBin[b]!++;
  }
  for (let b = 0; b < perBin.length; b++) {
    if (perBin[b]! > 0) {
      const bin: Bin = { type: 'interval', left: breaks[b]!, right: breaks[b + 1]! };
      counts.set(binKey(bin), { bin, count: perBin[b]! });
    }
  }
  if (missing > 0) counts.set(MISSING_KEY, { bin: { type: 'missing' }, count: missing });
  return counts;
}

/** A dimension's drift binning and the whole reference's histogram in it. */
export interface ReferenceHistogram {
  binning: Binning;
  reference: Histogram;
}

export function referenceHistogram(
  shape: DimensionShape,
  values: DimensionValues,
  span: RowSpan,
): ReferenceHistogram {
  const binning = referenceBinning(shape, values, span);
  return { binning, reference: histogram(binning, values, span) };
}

/** Both histograms over the union of their bins (0 where one has none), in a stable order. */
export function mergeHistograms(
  primary: Histogram,
  reference: Histogram,
): { bins: Bin[]; primary: Float64Array; reference: Float64Array } {
  const keys = [...new Set([...primary.keys(), ...reference.keys()])];
  const bins = keys.map((k) => (primary.get(k) ?? reference.get(k))!.bin);
  return {
    bins,
    primary: Float64Array.from(keys, (k) => primary.get(k)?.count ?? 0),
    reference: Float64Array.from(keys, (k) => reference.get(k)?.count ?? 0),
  };
}

/** One bar pair of a dimension's distribution: a bin and its row counts in each set. */
export interface Segment {
  bin:
    | { type: 'nominal'; name: string }
    /** start / end: the edges clamped to the dimension's min / max (as shown); left / right: null = ±∞. */
    | {
        type: 'interval';
        start: number | null;
        end: number | null;
        left: number | null;
        right: number | null;
      }
    | { type: 'missing' };
  primary: number;
  reference: number;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The distribution bars of a dimension page (Phoenix's segmentsComparison): every interval bin of
 * a quantile binning (empty ones too), every value seen in either set, and the missing bin when it
 * holds rows; `minMax` is the dimension's over both sets, to clamp infinite edges.
 */
export function segments(
  binning: Binning,
  primary: Histogram,
  reference: Histogram,
  minMax: { min: number | null; max: number | null },
): Segment[] {
  const all: Histogram = new Map();
  if (binning.kind === 'quantile') {
    for (let b = 0; b + 1 < binning.breaks.length; b++) {
      const bin: Bin = { type: 'interval', left: binning.breaks[b]!, right: binning.breaks[b + 1]! };
      all.set(binKey(bin), { bin, count: 0 });
    }
  }
  for (const [key, entry] of [...primary, ...reference])
    if (!all.has(key)) all.set(key, { ...entry, count: 0 });
  return [...all.entries()].map(([key, { bin }]) => ({
    bin:
      bin.type === 'interval'
        ? {
            type: 'interval',
            start: Number.isFinite(bin.left) ? bin.left : minMax.min,
            end: Number.isFinite(bin.right) ? bin.right : minMax.max,
            left: finiteOrNull(bin.left),
            right: finiteOrNull(bin.right),
          }
        : bin,
    primary: primary.get(key)?.count ?? 0,
    reference: reference.get(key)?.count ?? 0,
  }));
}
