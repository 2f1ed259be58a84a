import type { TimeRange } from '../metrics/types.js';
import { dataQualityOf, driftOf, embeddingDriftOf } from './analysis.js';
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

/** The model home page's tables for a primary time range (all of the primary without one), in one call. */
export function summaryOf(model: InferenceModel, range?: TimeRange): ModelSummary {
  const dimensions = model.dimensions.map((dimension): DimensionSummary => {
    const quality = dataQualityOf(model, dimension.name, 'primary', range);
    return {
      name: dimension.name,
      type: dimension.type,
      dataType: dimension.dataType,
      cardinality: quality.cardinality,
      percentEmpty: quality.percentEmpty,
      min: quality.min,
      mean: quality.mean,
      max: quality.max,
      psi: model.reference ? driftOf(model, dimension.name, 'psi', range) : null,
    };
  });
  const embeddings = model.embeddings.map(
    (embedding): EmbeddingSummary => ({
      name: embedding.name,
      euclideanDistance: model.reference
        ? embeddingDriftOf(model, embedding.name, 'euclideanDistance', range)
        : null,
      queryDistance: model.corpus ? embeddingDriftOf(model, embedding.name, 'queryDistance', range) : null,
    }),
  );
  return { dimensions, embeddings };
}
