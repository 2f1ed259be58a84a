/**
 * sampleRows: the rows Phoenix projects for one embedding (issue #18 A.1): the primary rows in the
 * chosen window, all the reference rows; a set with more rows than nSamples is shuffled (seeded)
 * and its first nSamples rows with a vector are taken, a smaller one is taken in order; rows
 * without a vector are skipped; for a retrieval prompt, every corpus row with a vector.
 */
import type { Instant, RowSpan } from '../metrics/types.js';
import { seededRandom, shuffleInPlace } from './random.js';

export const DAY_MS = 86_400_000;
/** Phoenix's point-cloud window: the 2 days ending at the chosen instant. */
export const WINDOW_MS = 2 * DAY_MS;

export interface SampleOptions {
  /** The primary set's vector presence (1 = row i has a vector) and the rows of its window. */
  primary: { present: Uint8Array; span: RowSpan };
  reference?: { present: Uint8Array } | undefined;
  /** Only for a retrieval prompt: all of the corpus is projected. */
  corpus?: { present: Uint8Array } | undefined;
  nSamples: number;
  seed: number;
}

export interface SampledRows {
  primary: Int32Array;
  reference?: Int32Array;
  corpus?: Int32Array;
}

/** Rows [span.start, span.end) of a time-sorted set whose timestamps fall in [end − length, end). */
export function windowRows(
  sortedTimestamps: Float64Array,
  end: Instant,
  length: number = WINDOW_MS,
): RowSpan {
  if (!Number.isFinite(end)) throw new RangeError(`the window end must be a finite instant, got ${end}`);
  return { start: lowerBound(sortedTimestamps, end - length), end: lowerBound(sortedTimestamps, end) };
}

function lowerBound(values: Float64Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sampleSpan(
  present: Uint8Array,
  span: RowSpan,
  nSamples: number,
  random: ReturnType<typeof seededRandom>,
) {
  const start = Math.max(0, span.start);
  const end = Math.min(present.length, span.end);
  if (end <= start) return new Int32Array(0);
  // Plain loops: Int32Array.from with a mapper over an array-like is ~10× slower, on the event loop.
  const candidates = new Int32Array(end - start);
  for (let i = 0; i < candidates.length; i++) candidates[i] = start + i;
  if (nSamples < candidates.length) shuffleInPlace(candidates, random);
  const taken = new Int32Array(Math.min(nSamples, candidates.length));
  let count = 0;
  for (let i = 0; i < candidates.length && count < taken.length; i++) {
    const row = candidates[i]!;
    if (present[row] === 1) taken[count++] = row;
  }
  return taken.slice(0, count);
}

export function sampleRows(options: SampleOptions): SampledRows {
  const { nSamples, seed } = options;
  if (!Number.isInteger(nSamples) || nSamples < 1)
    throw new RangeError(`nSamples must be an integer ≥ 1, got ${nSamples}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const random = seededRandom(seed);
  const sampled: SampledRows = {
    primary: sampleSpan(options.primary.present, options.primary.span, nSamples, random),
  };
  if (options.reference) {
    const { present } = options.reference;
    sampled.reference = sampleSpan(present, { start: 0, end: present.length }, nSamples, random);
  }
  if (options.corpus) {
    const { present } = options.corpus;
    sampled.corpus = Int32Array.from(present.keys()).filter((row) => present[row] === 1);
  }
  return sampled;
}
