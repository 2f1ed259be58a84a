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
  for (let i = span.start; i < span.end; i++) {
    const v = values.values[i];
    out[i - span.start] = v === null || v === undefined ? Number.NaN : coerceToNumber(v);
  }
  return out;
}

/** The finite-or-infinite (not NaN) values, sorted ascending (a new array). */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out[j++] = values[i]!;
  return out.sort();
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
  const t = virtual - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const diff = b - a;
  const lerp = t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  // numpy keeps a where a == b (an infinite diff would make NaN otherwise).
  return a === b ? a : lerp;
}
