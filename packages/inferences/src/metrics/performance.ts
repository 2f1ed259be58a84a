import type { DimensionValues, RowSpan } from './types.js';

/** Performance metrics: accuracy as Phoenix; the others go beyond it (sklearn's definitions). */
export type PerformanceMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'mae' | 'rmse' | 'auc';
export const PERFORMANCE_METRICS: readonly PerformanceMetric[] = [
  'accuracy',
  'precision',
  'recall',
  'f1',
  'mae',
  'rmse',
  'auc',
];

/** A label as a comparable string (null = missing). */
function label(values: DimensionValues, i: number): string | null {
  if (values.kind === 'categorical') return values.values[i] ?? null;
  const v = values.values[i]!;
  return Number.isNaN(v) ? null : String(v);
}

/** Pairs of (actual, predicted) labels over rows where both are present. */
function labelPairs(actual: DimensionValues, predicted: DimensionValues, span: RowSpan): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = span.start; i < span.end; i++) {
    const a = label(actual, i);
    const p = label(predicted, i);
    if (a !== null && p !== null) pairs.push([a, p]);
  }
  return pairs;
}

/** sklearn's accuracy_score after dropping rows where either label is missing; NaN for none. */
export function accuracy(actual: DimensionValues, predicted: DimensionValues, span: RowSpan): number {
  return accuracyOver(actual, predicted, span.end - span.start, (i) => span.start + i);
}

/** Accuracy over chosen rows (a cluster's, say), with accuracy()'s rules; NaN when no row has both labels. */
export function accuracyAt(
  actual: DimensionValues,
  predicted: DimensionValues,
  rows: ArrayLike<number>,
): number {
  return accuracyOver(actual, predicted, rows.length, (i) => rows[i]!);
}

function accuracyOver(
  actual: DimensionValues,
  predicted: DimensionValues,
  count: number,
  rowAt: (i: number) => number,
): number {
  let pairs = 0;
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const row = rowAt(i);
    const a = label(actual, row);
    const p = label(predicted, row);
    if (a === null || p === null) continue;
    pairs++;
    if (a === p) hits++;
  }
  return pairs === 0 ? Number.NaN : hits / pairs;
}

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose actual label is this one. */
  support: number;
}

/**
 * Precision, recall and F1 per class over rows with both labels, for every label that is actual or
 * predicted (sorted), with sklearn's `zero_division=0` (a class never predicted has precision 0).
 */
export function classScores(
  actual: DimensionValues,
  predicted: DimensionValues,
  span: RowSpan,
): ClassScores[] {
  const pairs = labelPairs(actual, predicted, span);
  const labels = [...new Set(pairs.flat())].sort();
  return labels.map((l) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [a, p] of pairs) {
      if (p === l && a === l) tp++;
      else if (p === l) fp++;
      else if (a === l) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
    return { label: l, precision, recall, f1, support: tp + fn };
  });
}

/** The unweighted mean over classes (sklearn's `average="macro"`); NaN without rows. */
export function macroAverage(scores: readonly ClassScores[], metric: 'precision' | 'recall' | 'f1'): number {
  if (scores.length === 0) return Number.NaN;
  return scores.reduce((s, c) => s + c[metric], 0) / scores.length;
}

function scorePairs(actual: Float64Array, predicted: Float64Array, span: RowSpan): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = span.start; i < span.end; i++) {
    if (!Number.isNaN(actual[i]!) && !Number.isNaN(predicted[i]!)) pairs.push([actual[i]!, predicted[i]!]);
  }
  return pairs;
}

/** Mean absolute error of prediction scores against actual scores (rows with both); NaN for none. */
export function meanAbsoluteError(actual: Float64Array, predicted: Float64Array, span: RowSpan): number {
  const pairs = scorePairs(actual, predicted, span);
  return pairs.length === 0 ? Number.NaN : pairs.reduce((s, [a, p]) => s + Math.abs(a - p), 0) / pairs.length;
}

/** Root mean squared error of prediction scores against actual scores; NaN for none. */
export function rootMeanSquaredError(actual: Float64Array, predicted: Float64Array, span: RowSpan): number {
  const pairs = scorePairs(actual, predicted, span);
  return pairs.length === 0
    ? Number.NaN
    : Math.sqrt(pairs.reduce((s, [a, p]) => s + (a - p) ** 2, 0) / pairs.length);
}

/**
 * ROC AUC (sklearn's roc_auc_score for a binary truth): the probability that a positive row's
 * score is above a negative one's, ties counting half (Mann–Whitney, average ranks). NaN unless
 * both classes are present.
 */
export function rocAuc(truth: readonly boolean[], scores: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i]) {
      positives++;
      rankSum += ranks[i]!;
    }
  }
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The truth and scores AUC reads: the prediction score of each row with one, against whether its
 * actual label is `positiveLabel` (rows without an actual label left out). `positiveLabel`
 * defaults as sklearn's `pos_label` for two classes: the greater of the actual labels.
 */
export function aucInputs(
  actual: DimensionValues,
  predictionScore: Float64Array,
  span: RowSpan,
  positiveLabel?: string,
): { truth: boolean[]; scores: number[] } {
  const truth: boolean[] = [];
  const scores: number[] = [];
  const labels: (string | null)[] = [];
  for (let i = span.start; i < span.end; i++) labels.push(label(actual, i));
  const positive = positiveLabel ?? [...new Set(labels.filter((l) => l !== null))].sort().at(-1);
  labels.forEach((l, k) => {
    const score = predictionScore[span.start + k]!;
    if (l === null || Number.isNaN(score)) return;
    truth.push(l === positive);
    scores.push(score);
  });
  return { truth, scores };
}
