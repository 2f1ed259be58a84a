import type { DimensionValues, RowSpan } from './types.js';

/**
 * pandas' `to_numeric(errors="coerce")` of one string: a number for a decimal or scientific literal
 * (with `inf` / `nan` spelled as pandas reads them), NaN for anything else.
 */
export function coerceToNumber(text: string): number {
  const s = text.trim();
  if (s === '') return Number.NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  const lower = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number.NaN;
}

/** The span's values as numbers (NaN = missing or not a number), as Phoenix coerces them. */
export function numericValues(values: DimensionValues, span: RowSpan): Float64Array {
  if (values.kind === 'numeric') return values.values.subarray(span.start, span.end);
  const out = new Float64Array(span.end - span.start);
  const coerced = new Map<string, number>();
  for (let i = span.start; i < span.end; i++) {
    const v = values.values[i];
    if (v === null || v === undefined) {
      out[i - span.start] = Number.NaN;
      continue;
    }
    let x = coerced.get(v);
    if (x === undefined) {
      x = coerceToNumber(v);
      coerced.set(v, x);
    }
    out[i - span.start] = x;
  }
  return out;
}

/** The values that are not NaN (a new array, unsorted). */
export function presentValues(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  if (n === values.length) return values.slice();
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out[j++] = values[i]!;
  return out;
}

/** Rearranges `a[lo..hi]` so that a[k] is the value a sort would put there, smaller ones before it, larger after (Hoare's selection). */
function select(a: Float64Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * numpy's `nanquantile` (linear) of several probabilities, ascending, without sorting the whole
 * array: each needs the values of two ranks, found by selection in the part left by the previous
 * one (`present` has no NaN and is reordered).
 */
export function quantiles(present: Float64Array, probabilities: readonly number[]): number[] {
  const n = present.length;
  if (n === 0) return probabilities.map(() => Number.NaN);
  let lo = 0;
  const at = (rank: number) => {
    select(present, rank, lo, n - 1);
    lo = rank;
    return present[rank]!;
  };
  return probabilities.map((q) => {
    const virtual = q * (n - 1);
    const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
    const a = at(below);
    // The next rank is the smallest value of those after `below`.
    let b = a;
    if (below + 1 < n) {
      b = Infinity;
      for (let i = below + 1; i < n; i++) if (present[i]! < b) b = present[i]!;
    }
    return lerp(a, b, virtual - below);
  });
}

/** numpy's interpolation between two ranks (a + (b − a)·t below t = 0.5, b − (b − a)·(1 − t) from it). */
function lerp(a: number, b: number, t: number): number {
  if (a === b) return a;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * numpy's `quantile(sorted, q)` with the default (linear) method, on values already sorted with
 * NaNs removed (so `nanquantile`): NaN when there are none. The interpolation is numpy's own
 * (`a + (b − a)·t` below t = 0.5, `b − (b − a)·(1 − t)` from it), so results agree to the last bit.
 */
export function quantileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = q * (n - 1);
  const below = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const above = Math.min(below + 1, n - 1);
  return lerp(sorted[below]!, sorted[above]!, virtual - below);
}
