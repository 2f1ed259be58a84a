import { InferencesError } from '../inferences/errors.js';
import type { Inferences } from '../inferences/inferences.js';
import type { DataQuality, Segment } from '../metrics/index.js';
import type {
  DimensionValues,
  EmbeddingVectors,
  RowSpan,
  TimeRange,
  TimeSeriesPoint,
} from '../metrics/types.js';
import {
  dataQualityOf,
  dimensionTimeSeries,
  driftOf,
  embeddingDriftOf,
  embeddingDriftTimeSeries,
  performanceOf,
  type SeriesOptions,
  segmentsOf,
} from './analysis.js';
import {
  categoriesOf,
  type ModelDimension,
  type ModelEmbedding,
  type ModelRole,
  minMaxOf,
  modelDimensions,
  modelEmbeddings,
} from './dimensions.js';
import {
  InvalidParameterError,
  MissingInferencesError,
  UnknownDimensionError,
  UnknownEmbeddingError,
} from './errors.js';
import { type ModelSummary, summaryOf } from './summary.js';

export interface InferenceModelSets {
  primary: Inferences;
  reference?: Inferences | undefined;
  corpus?: Inferences | undefined;
}

export type SetRole = ModelRole | 'corpus';

/** One set as the API lists it. */
export interface InferencesSummary {
  readonly role: SetRole;
  readonly name: string;
  /** The name, or the role when the name was generated (as Phoenix shows it). */
  readonly displayName: string;
  readonly rowCount: number;
  readonly timeRange: TimeRange;
}

/**
 * A model over its inference sets (Phoenix's `Model`): the primary set, optionally a reference
 * (drift) and a corpus (retrieval). It knows each set's time range, the dimensions and the
 * embeddings, and answers the metrics by calling the metric engine on the sets' columns. Unknown
 * names throw UnknownDimensionError / UnknownEmbeddingError (404), bad parameters
 * UnknownMetricError / InvalidParameterError (422).
 */
export class InferenceModel {
  readonly primary: Inferences;
  readonly reference: Inferences | undefined;
  readonly corpus: Inferences | undefined;
  readonly dimensions: readonly ModelDimension[];
  readonly embeddings: readonly ModelEmbedding[];
  readonly #dimensions: ReadonlyMap<string, ModelDimension>;
  readonly #embeddings: ReadonlyMap<string, ModelEmbedding>;
  readonly #categories = new Map<string, readonly string[]>();
  readonly #minMax = new Map<string, { min: number | null; max: number | null }>();

  constructor({ primary, reference, corpus }: InferenceModelSets) {
    this.primary = primary;
    this.reference = reference;
    this.corpus = corpus;
    const sets = this.#modelSets();
    this.dimensions = Object.freeze(modelDimensions(sets));
    const { embeddings, mismatches } = modelEmbeddings(sets);
    if (mismatches.length > 0) {
      throw new InferencesError(mismatches.map((message) => ({ code: 'vector_size_mismatch', message })));
    }
    this.embeddings = Object.freeze(embeddings);
    this.#dimensions = new Map(this.dimensions.map((dimension) => [dimension.name, dimension]));
    this.#embeddings = new Map(this.embeddings.map((embedding) => [embedding.name, embedding]));
  }

  /** The sets, primary first. */
  get sets(): InferencesSummary[] {
    const summaries: InferencesSummary[] = [];
    for (const role of ['primary', 'reference', 'corpus'] as const) {
      const set = this[role];
      if (!set) continue;
      summaries.push({
        role,
        name: set.name,
        displayName: set.hasGeneratedName ? role : set.name,
        rowCount: set.rowCount,
        timeRange: set.timeRange,
      });
    }
    return summaries;
  }

  /** The set in that role; MissingInferencesError when the model has none. */
  set(role: SetRole): Inferences {
    const set = this[role];
    if (!set) throw new MissingInferencesError(role, `the model was given no ${role} set`);
    return set;
  }

  /** Phoenix's time range of a set: [first timestamp floored to the minute, (last + 1 minute) floored). */
  timeRange(role: SetRole = 'primary'): TimeRange {
    return this.set(role).timeRange;
  }

  dimension(name: string): ModelDimension {
    const dimension = this.#dimensions.get(name);
    if (!dimension) throw new UnknownDimensionError(name, [...this.#dimensions.keys()]);
    return dimension;
  }

  embedding(name: string): ModelEmbedding {
    const embedding = this.#embeddings.get(name);
    if (!embedding) throw new UnknownEmbeddingError(name, [...this.#embeddings.keys()]);
    return embedding;
  }

  /** A dimension's values in one set; undefined when that set has no such column. */
  values(name: string, role: ModelRole): DimensionValues | undefined {
    const dimension = this.dimension(name);
    const column = dimension.columns[role];
    return column === undefined ? undefined : this[role]?.scalar(column)?.values;
  }

  /** Phoenix's `categories`: the sorted distinct values over the sets (none for a continuous dimension). */
  categories(name: string): readonly string[] {
    let categories = this.#categories.get(name);
    if (!categories) {
      categories = Object.freeze(categoriesOf(this.dimension(name), this.#allValues(name)));
      this.#categories.set(name, categories);
    }
    return categories;
  }

  /** Phoenix's `min_max` over the sets (nulls for a dimension that is not continuous). */
  minMax(name: string): { min: number | null; max: number | null } {
    let minMax = this.#minMax.get(name);
    if (!minMax) {
      minMax = Object.freeze(minMaxOf(this.dimension(name), this.#allValues(name)));
      this.#minMax.set(name, minMax);
    }
    return minMax;
  }

  /** An embedding's vectors in one set; undefined when that set has none. */
  vectors(name: string, role: SetRole): EmbeddingVectors | undefined {
    const embedding = this.embedding(name);
    if (role === 'corpus') return this.corpusVectors(name);
    return this[role]?.embedding(embedding.name)?.vectors;
  }

  /**
   * The corpus vectors a query embedding is compared with: Phoenix takes the corpus column of the
   * same name as the embedding's vector column (the corpus's document embedding otherwise).
   */
  corpusVectors(name: string): EmbeddingVectors | undefined {
    const embedding = this.embedding(name);
    const corpus = this.corpus;
    if (!corpus) return undefined;
    const sameColumn = corpus.embeddings.find(
      (column) => column.vectorColumnName === embedding.vectorColumnName,
    );
    return (sameColumn ?? corpus.embedding('prompt'))?.vectors;
  }

  /** The rows of a set within a time range (all of them without one), by binary search over its sorted timestamps. */
  rowSpan(role: SetRole, range?: TimeRange): RowSpan {
    const set = this.set(role);
    if (!range) return { start: 0, end: set.rowCount };
    checkTimeRange(range);
    const start = lowerBound(set.timestamps, range.start);
    return { start, end: Math.max(start, lowerBound(set.timestamps, range.end)) };
  }

  /** Phoenix's data quality of a dimension in a set over a time range (the whole set without one). */
  dataQuality(name: string, options: { inferences?: ModelRole; timeRange?: TimeRange } = {}): DataQuality {
    return dataQualityOf(this, name, options.inferences ?? 'primary', options.timeRange);
  }

  /** psi / klDivergence / jsDistance (or kl_divergence ...) of the primary range against the whole reference. */
  drift(name: string, metric: string, options: { timeRange?: TimeRange } = {}): number | null {
    return driftOf(this, name, metric, options.timeRange);
  }

  /** The distribution bars of a dimension: primary range and whole reference, bin by bin. */
  segments(name: string, options: { timeRange?: TimeRange } = {}): Segment[] {
    return segmentsOf(this, name, options.timeRange);
  }

  /** A data quality figure or a drift metric over time (one window over the range without a granularity). */
  timeSeries(name: string, metric: string, options: SeriesOptions = {}): TimeSeriesPoint[] {
    return dimensionTimeSeries(this, name, metric, options);
  }

  /** euclideanDistance (to the reference) or queryDistance (to the corpus) of the primary range's centroid. */
  embeddingDrift(name: string, metric: string, options: { timeRange?: TimeRange } = {}): number | null {
    return embeddingDriftOf(this, name, metric, options.timeRange);
  }

  embeddingDriftTimeSeries(name: string, metric: string, options: Omit<SeriesOptions, 'inferences'> = {}) {
    return embeddingDriftTimeSeries(this, name, metric, options);
  }

  /** accuracy / precision / recall / f1 / mae / rmse / auc of a set over a time range. */
  performance(
    metric: string,
    options: { inferences?: ModelRole; timeRange?: TimeRange } = {},
  ): number | null {
    return performanceOf(this, metric, options.inferences ?? 'primary', options.timeRange);
  }

  /** The home page's tables: every dimension's data quality and PSI, every embedding's drift, over a primary range. */
  summary(options: { timeRange?: TimeRange } = {}): ModelSummary {
    return summaryOf(this, options.timeRange);
  }

  #modelSets() {
    const sets: [ModelRole, Inferences][] = [['primary', this.primary]];
    if (this.reference) sets.push(['reference', this.reference]);
    return sets;
  }

  #allValues(name: string): DimensionValues[] {
    return (['primary', 'reference'] as const).flatMap((role) => {
      const values = this.values(name, role);
      return values ? [values] : [];
    });
  }
}

export function checkTimeRange(range: TimeRange, parameter = 'start_time'): void {
  if (!Number.isFinite(range.start) || !Number.isFinite(range.end)) {
    throw new InvalidParameterError('a time range needs a finite start and end', parameter);
  }
  if (range.end < range.start) {
    throw new InvalidParameterError('the end of a time range must not be before its start', 'end_time');
  }
}

/** The first index whose timestamp is ≥ t. */
function lowerBound(sorted: Float64Array, t: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < t) low = middle + 1;
    else high = middle;
  }
  return low;
}
