import { type Histogram, histogram, mergeHistograms, type ReferenceHistogram } from './binning.js';
import type { DimensionValues, RowSpan } from './types.js';

export type DriftMetric = 'psi' | 'klDivergence' | 'jsDistance';
export const DRIFT_METRICS: readonly DriftMetric[] = ['psi', 'klDivergence', 'jsDistance'];

/** (x + 1) / (N + d): Laplace smoothing of counts into probabilities. */
function smoothed(counts: Float64Array): Float64Array {
  let total = 0;
  for (const c of counts) total += c;
  const denominator = total + counts.length;
  return counts.map((c) => (c + 1) / denominator);
}

/** scipy's `entropy(p, q)`: KL(p‖q) in nats, p and q normalised first. */
function klDivergence(p: Float64Array, q: Float64Array): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let kl = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    if (pi > 0) kl += pi * Math.log(pi / qi);
  }
  return kl;
}

/** scipy's `jensenshannon(p, q)` (natural log). */
function jsDistance(p: Float64Array, q: Float64Array): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const mi = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / mi);
    if (qi > 0) right += qi * Math.log(qi / mi);
  }
  return Math.sqrt((left + right) / 2);
}

/**
 * Drift of a primary histogram against the reference's (Phoenix's DiscreteDivergence): the
 * histograms outer-joined (bins empty on both sides dropped), Laplace-smoothed, then PSI (KL both
 * ways: Jeffreys divergence), KL(primary‖reference) or the Jensen–Shannon distance. NaN when
 * neither has a row.
 */
export function drift(metric: DriftMetric, primary: Histogram, reference: Histogram): number {
  const merged = mergeHistograms(primary, reference);
  if (merged.bins.length === 0) return Number.NaN;
  const p = smoothed(merged.primary);
  const q = smoothed(merged.reference);
  switch (metric) {
    case 'psi':
      return 2 * ((klDivergence(p, q) + klDivergence(q, p)) / 2);
    case 'klDivergence':
      return klDivergence(p, q);
    case 'jsDistance':
      return jsDistance(p, q);
  }
}

/** The drift of `values` over `span` against a reference's histogram, in the reference's binning. */
export function driftFromReference(
  metric: DriftMetric,
  { binning, reference }: ReferenceHistogram,
  values: DimensionValues,
  span: RowSpan,
): number {
  return drift(metric, histogram(binning, values, span), reference);
}
