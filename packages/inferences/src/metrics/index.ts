export {
  type Bin,
  type Binning,
  binKey,
  type Histogram,
  histogram,
  mergeHistograms,
  type ReferenceHistogram,
  referenceBinning,
  referenceHistogram,
  type Segment,
  segments,
} from './binning.js';
export {
  cardinality,
  DATA_QUALITY_FIELDS,
  type DataQuality,
  type DataQualityField,
  dataQuality,
  missingCount,
  nanToNull,
  percentEmpty,
} from './data-quality.js';
export { DRIFT_METRICS, type DriftMetric, drift, driftFromReference } from './divergence.js';
export { coerceToNumber, numericValues, presentValues, quantileOfSorted, quantiles } from './numeric.js';
export {
  accuracy,
  accuracyAt,
  aucInputs,
  type ClassScores,
  classScores,
  macroAverage,
  meanAbsoluteError,
  PERFORMANCE_METRICS,
  type PerformanceMetric,
  rocAuc,
  rootMeanSquaredError,
} from './performance.js';
export { seriesWindows, timeSeries } from './time-series.js';
export type * from './types.js';
export { addVectors, centroid, centroidInSlices, euclideanDistance } from './vectors.js';
