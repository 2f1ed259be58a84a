import { dataQuality, driftFromReference, nanToNull, type ReferenceHistogram } from '../metrics/index.js';
import type { DimensionValues, RowSpan, TimeRange } from '../metrics/types.js';
import { embeddingDriftInSlices, referenceOf, runToEnd, valuesIn } from './analysis.js';
import type { DimensionDataType, DimensionType } from './dimensions.js';
import type { InferenceModel } from './model.js';

/** One row of the model home page's dimensions table. */
export interface DimensionSummary {
  name: string;
  type: DimensionType;
  dataType: DimensionDataType;
  cardinality: number | null;
  percentEmpty: number | null;
  min: number | null;
  mean: number | null;
  max: number | null;
  /** Of the primary range against the whole reference; null without a reference. */
  psi: number | null;
}

/** One row of the model home page's embeddings table. */
export interface EmbeddingSummary {
  name: string;
  /** To the whole reference's centroid; null without a reference. */
  euclideanDistance: number | null;
  /** To the corpus's centroid; null without a corpus. */
  queryDistance: number | null;
}

export interface ModelSummary {
  dimensions: DimensionSummary[];
  embeddings: EmbeddingSummary[];
}

/** What a row of the dimensions table needs of a dimension besides its values. */
export interface DimensionHeading {
  name: string;
  type: DimensionType;
  dataType: DimensionDataType;
}

/** One row of the dimensions table: the primary rows of `span`, their PSI against the reference (when there is one). */
export function dimensionRow(
  dimension: DimensionHeading,
  primary: DimensionValues,
  span: RowSpan,
  reference: ReferenceHistogram | undefined,
): DimensionSummary {
  const quality = dataQuality(primary, span);
  return {
    name: dimension.name,
    type: dimension.type,
    dataType: dimension.dataType,
    cardinality: quality.cardinality,
    percentEmpty: quality.percentEmpty,
    min: quality.min,
    mean: quality.mean,
    max: quality.max,
    psi: reference ? nanToNull(driftFromReference('psi', reference, primary, span)) : null,
  };
}

/** The embeddings table's row of one embedding over a primary range, `sliceRows` rows of vectors at a time. */
export function* embeddingRowInSlices(
  model: InferenceModel,
  name: string,
  range: TimeRange | undefined,
  sliceRows: number,
): Generator<void, EmbeddingSummary> {
  const span = model.rowSpan('primary', range);
  return {
    name,
    euclideanDistance: model.reference
      ? yield* embeddingDriftInSlices(model, name, 'euclideanDistance', span, sliceRows)
      : null,
    queryDistance: model.corpus
      ? yield* embeddingDriftInSlices(model, name, 'queryDistance', span, sliceRows)
      : null,
  };
}

/** The model home page's tables for a primary time range (all of the primary without one), in one call. */
export function summaryOf(model: InferenceModel, range?: TimeRange): ModelSummary {
  const span = model.rowSpan('primary', range);
  return {
    dimensions: model.dimensions.map((dimension) =>
      dimensionRow(
        dimension,
        valuesIn(model, dimension.name, 'primary'),
        span,
        model.reference ? referenceOf(model, dimension.name) : undefined,
      ),
    ),
    embeddings: model.embeddings.map((embedding) =>
      runToEnd(embeddingRowInSlices(model, embedding.name, range, Number.POSITIVE_INFINITY)),
    ),
  };
}
