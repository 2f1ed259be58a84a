import {
  accuracy,
  aucInputs,
  centroidInSlices,
  classScores,
  DATA_QUALITY_FIELDS,
  type DataQuality,
  type DataQualityField,
  DRIFT_METRICS,
  type DriftMetric,
  driftFromReference,
  euclideanDistance,
  histogram,
  macroAverage,
  meanAbsoluteError,
  nanToNull,
  numericValues,
  PERFORMANCE_METRICS,
  type PerformanceMetric,
  type ReferenceHistogram,
  referenceHistogram,
  rocAuc,
  rootMeanSquaredError,
  type Segment,
  segments,
  timeSeries,
  dataQuality as windowDataQuality,
} from '../metrics/index.js';
import type {
  DimensionValues,
  EmbeddingVectors,
  Granularity,
  RowSpan,
  TimeRange,
  TimeSeriesPoint,
} from '../metrics/types.js';
import type { ModelRole } from './dimensions.js';
import { MissingInferencesError, UnknownMetricError } from './errors.js';
import { checkGranularity, wholeRangeGranularity } from './granularity.js';
import type { InferenceModel } from './model.js';

export type EmbeddingMetric = 'euclideanDistance' | 'queryDistance';
export const EMBEDDING_METRICS: readonly EmbeddingMetric[] = ['euclideanDistance', 'queryDistance'];

/** A metric's name as the engine writes it (`klDivergence`) or as the REST API does (`kl_divergence`). */
function metricName<T extends string>(metric: string, known: readonly T[]): T {
  const camel = metric.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const found = known.find((name) => name === camel);
  if (!found) throw new UnknownMetricError(metric, known);
  return found;
}

export const driftMetric = (metric: string) => metricName(metric, DRIFT_METRICS);
export const embeddingMetric = (metric: string) => metricName(metric, EMBEDDING_METRICS);
export const performanceMetric = (metric: string) =>
  metricName<PerformanceMetric>(metric, PERFORMANCE_METRICS);
export const dataQualityMetric = (metric: string) =>
  metricName<DataQualityField>(metric, DATA_QUALITY_FIELDS);

/** A dimension's values in a set; a column of nulls where the set has none (Phoenix's dummy column). */
export function valuesIn(model: InferenceModel, name: string, role: ModelRole): DimensionValues {
  return (
    model.values(name, role) ?? {
      kind: 'numeric',
      dtype: 'float',
      values: new Float64Array(model.set(role).rowCount).fill(Number.NaN),
    }
  );
}

export function dataQualityOf(
  model: InferenceModel,
  name: string,
  role: ModelRole,
  range?: TimeRange,
): DataQuality {
  model.dimension(name);
  return windowDataQuality(valuesIn(model, name, role), model.rowSpan(role, range));
}

const references = new WeakMap<InferenceModel, Map<string, ReferenceHistogram>>();

/** The drift binning of a dimension and the whole reference's histogram in it (cached per model). */
export function referenceOf(model: InferenceModel, name: string): ReferenceHistogram {
  if (!model.reference)
    throw new MissingInferencesError('reference', 'drift compares the primary set with a reference');
  let cache = references.get(model);
  if (!cache) {
    cache = new Map();
    references.set(model, cache);
  }
  let found = cache.get(name);
  if (!found) {
    const values = valuesIn(model, name, 'reference');
    found = referenceHistogram(model.dimension(name).shape, values, model.rowSpan('reference'));
    cache.set(name, found);
  }
  return found;
}

/** Drift of the primary rows in `span` against the whole reference. */
function driftOfSpan(model: InferenceModel, name: string, metric: DriftMetric, span: RowSpan): number | null {
  return nanToNull(
    driftFromReference(metric, referenceOf(model, name), valuesIn(model, name, 'primary'), span),
  );
}

export function driftOf(
  model: InferenceModel,
  name: string,
  metric: string,
  range?: TimeRange,
): number | null {
  return driftOfSpan(model, name, driftMetric(metric), model.rowSpan('primary', range));
}

export function segmentsOf(model: InferenceModel, name: string, range?: TimeRange): Segment[] {
  const { binning, reference } = referenceOf(model, name);
  const primary = histogram(binning, valuesIn(model, name, 'primary'), model.rowSpan('primary', range));
  return segments(binning, primary, reference, model.minMax(name));
}

export interface SeriesOptions {
  /** The set the range and the values are of (data quality); drift is always the primary's. */
  inferences?: ModelRole;
  timeRange?: TimeRange;
  granularity?: Granularity;
}

function series(
  model: InferenceModel,
  role: ModelRole,
  options: SeriesOptions,
  value: (span: RowSpan) => number | null,
): TimeSeriesPoint[] {
  const range = options.timeRange ?? model.timeRange(role);
  const granularity = options.granularity
    ? checkGranularity(options.granularity)
    : wholeRangeGranularity(range);
  return timeSeries(range, granularity, (window) => value(model.rowSpan(role, window)));
}

/** A data quality figure (`count`, `percentEmpty`, ...) or a drift metric over time. */
export function dimensionTimeSeries(
  model: InferenceModel,
  name: string,
  metric: string,
  options: SeriesOptions = {},
): TimeSeriesPoint[] {
  model.dimension(name);
  const isDrift = DRIFT_METRICS.some(
    (known) => known === metric.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  );
  if (isDrift) {
    const driftName = driftMetric(metric);
    return series(model, 'primary', options, (span) => driftOfSpan(model, name, driftName, span));
  }
  const field = dataQualityMetric(metric);
  const role = options.inferences ?? 'primary';
  const values = valuesIn(model, name, role);
  return series(model, role, options, (span) => windowDataQuality(values, span)[field]);
}

/** The vectors an embedding's primary centroid is compared with: the reference's, or (queryDistance) the corpus's. */
function baselineVectors(model: InferenceModel, name: string, metric: EmbeddingMetric) {
  if (metric === 'queryDistance') {
    if (!model.corpus)
      throw new MissingInferencesError('corpus', 'the query distance compares the queries with a corpus');
    return model.corpusVectors(name);
  }
  if (!model.reference)
    throw new MissingInferencesError(
      'reference',
      'embedding drift compares the primary set with a reference',
    );
  return model.vectors(name, 'reference');
}

const wholeCentroids = new WeakMap<EmbeddingVectors, Float64Array | null>();

/**
 * The embedding drift of the primary rows in `span`, `sliceRows` rows of vectors at a time (the
 * generator pauses between slices). The whole baseline's centroid is computed once per set: a time
 * series asks for it at every point.
 */
export function* embeddingDriftInSlices(
  model: InferenceModel,
  name: string,
  metric: EmbeddingMetric,
  span: RowSpan,
  sliceRows: number,
): Generator<void, number | null> {
  const primary = model.vectors(name, 'primary');
  const baseline = baselineVectors(model, name, metric);
  if (!primary || !baseline) return null;
  const baselineCentroid = yield* wholeCentroidInSlices(baseline, sliceRows);
  const primaryCentroid = yield* centroidInSlices(primary, span, sliceRows);
  return nanToNull(euclideanDistance(primaryCentroid, baselineCentroid));
}

function* wholeCentroidInSlices(
  vectors: EmbeddingVectors,
  sliceRows: number,
): Generator<void, Float64Array | null> {
  if (!wholeCentroids.has(vectors)) {
    const whole = yield* centroidInSlices(vectors, { start: 0, end: vectors.present.length }, sliceRows);
    wholeCentroids.set(vectors, whole);
  }
  return wholeCentroids.get(vectors)!;
}

/**
 * Computes (once) the centroids an embedding's drift compares with, the reference's and the
 * corpus's, `sliceRows` rows at a time: a server does it at launch so that the first drift asked
 * for only sums the primary's window.
 */
export function* embeddingBaselinesInSlices(
  model: InferenceModel,
  name: string,
  sliceRows: number,
): Generator<void, void> {
  const baselines = [model.vectors(name, 'reference'), model.corpusVectors(name)];
  for (const vectors of baselines) if (vectors) yield* wholeCentroidInSlices(vectors, sliceRows);
}

/** A generator's result, run without pauses. */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

function embeddingDriftOfSpan(model: InferenceModel, name: string, metric: EmbeddingMetric, span: RowSpan) {
  return runToEnd(embeddingDriftInSlices(model, name, metric, span, Number.POSITIVE_INFINITY));
}

/** Euclidean distance of the primary window's centroid to the reference's (or, `queryDistance`, the corpus's). */
export function embeddingDriftOf(model: InferenceModel, name: string, metric: string, range?: TimeRange) {
  model.embedding(name);
  return embeddingDriftOfSpan(model, name, embeddingMetric(metric), model.rowSpan('primary', range));
}

export function embeddingDriftTimeSeries(
  model: InferenceModel,
  name: string,
  metric: string,
  options: Omit<SeriesOptions, 'inferences'> = {},
): TimeSeriesPoint[] {
  model.embedding(name);
  const embeddingName = embeddingMetric(metric);
  return series(model, 'primary', options, (span) => embeddingDriftOfSpan(model, name, embeddingName, span));
}

/** The column of a role in a set, if the model has that role. */
function roleValues(
  model: InferenceModel,
  role: ModelRole,
  dimensionRole: string,
): DimensionValues | undefined {
  const dimension = model.dimensions.find((d) => d.role === dimensionRole);
  return dimension ? model.values(dimension.name, role) : undefined;
}

/**
 * A performance metric of a set over a time range: accuracy (Phoenix's), macro precision / recall /
 * F1 of predicted against actual labels, MAE / RMSE of the scores, ROC AUC of the prediction score
 * against the actual label; null where the columns it needs are missing or it is undefined.
 */
export function performanceOf(
  model: InferenceModel,
  metric: string,
  role: ModelRole = 'primary',
  range?: TimeRange,
): number | null {
  const name = performanceMetric(metric);
  const span = model.rowSpan(role, range);
  const actualLabel = roleValues(model, role, 'actual_label');
  const predictedLabel = roleValues(model, role, 'prediction_label');
  const actualScore = roleValues(model, role, 'actual_score');
  const predictedScore = roleValues(model, role, 'prediction_score');
  switch (name) {
    case 'accuracy':
      return actualLabel && predictedLabel ? nanToNull(accuracy(actualLabel, predictedLabel, span)) : null;
    case 'precision':
    case 'recall':
    case 'f1':
      return actualLabel && predictedLabel
        ? nanToNull(macroAverage(classScores(actualLabel, predictedLabel, span), name))
        : null;
    case 'mae':
    case 'rmse': {
      if (!actualScore || !predictedScore) return null;
      const actual = numericValues(actualScore, { start: 0, end: model.set(role).rowCount });
      const predicted = numericValues(predictedScore, { start: 0, end: model.set(role).rowCount });
      const error = name === 'mae' ? meanAbsoluteError : rootMeanSquaredError;
      return nanToNull(error(actual, predicted, span));
    }
    case 'auc': {
      if (!actualLabel || !predictedScore) return null;
      const scores = numericValues(predictedScore, { start: 0, end: model.set(role).rowCount });
      const { truth, scores: ranked } = aucInputs(actualLabel, scores, span);
      return nanToNull(rocAuc(truth, ranked));
    }
  }
}
