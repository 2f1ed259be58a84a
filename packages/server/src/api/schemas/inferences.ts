import { Type } from 'typebox';
import { Data, DateTime, Nullable } from './common.js';

/** `/v1/inferences`: the inference sets of the app and the metrics that judge the model. */

const Value = (description: string) => Nullable(Type.Number({ description }));

export const INFERENCES_SET_NAMES = ['primary', 'reference'] as const;
export const DATA_QUALITY_METRICS = [
  'count',
  'cardinality',
  'percent_empty',
  'mean',
  'sum',
  'min',
  'max',
  'p01',
  'p25',
  'p50',
  'p75',
  'p99',
] as const;
export const DRIFT_METRICS = ['psi', 'kl_divergence', 'js_distance'] as const;
export const EMBEDDING_METRICS = ['euclidean_distance', 'query_distance'] as const;
export const PERFORMANCE_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'mae', 'rmse', 'auc'] as const;

export type DataQualityMetricName = (typeof DATA_QUALITY_METRICS)[number];
export type DriftMetricName = (typeof DRIFT_METRICS)[number];
export type EmbeddingMetricName = (typeof EMBEDDING_METRICS)[number];
export type PerformanceMetricName = (typeof PERFORMANCE_METRICS)[number];

const InferencesSetSchema = Type.Object(
  {
    name: Type.String({ description: 'The set’s name (Inferences’ third argument, or a generated one).' }),
    row_count: Type.Integer(),
    start_time: DateTime('Phoenix’s start of the set: its first timestamp floored to the minute.'),
    end_time: DateTime(
      'Phoenix’s (exclusive) end of the set: its last timestamp plus one minute, floored to the minute.',
    ),
  },
  { title: 'InferencesSetData' },
);

const DimensionSchema = Type.Object(
  {
    name: Type.String({ description: 'The column’s name.' }),
    type: Type.Enum(['feature', 'tag', 'prediction', 'actual']),
    data_type: Type.Enum(['numeric', 'categorical']),
    shape: Type.Enum(['continuous', 'discrete'], {
      description: 'continuous: binned by the reference’s deciles; discrete: one bin per value.',
    }),
  },
  { title: 'InferencesDimension' },
);

const EmbeddingSchema = Type.Object(
  {
    name: Type.String({
      description:
        'The embedding feature’s key in embeddingFeatureColumnNames; `prompt` and `response` for those embeddings.',
    }),
    dimension: Type.Integer({ description: 'The length of its vectors.' }),
  },
  { title: 'InferencesEmbedding' },
);

export const InferencesBody = Data(
  Type.Object(
    {
      primary: InferencesSetSchema,
      reference: Nullable(InferencesSetSchema),
      corpus: Nullable(InferencesSetSchema),
      dimensions: Type.Array(DimensionSchema),
      embeddings: Type.Array(EmbeddingSchema),
      default_umap_parameters: Type.Object(
        { min_dist: Type.Number(), n_neighbors: Type.Integer(), n_samples: Type.Integer() },
        { title: 'UmapParameters' },
      ),
    },
    { title: 'InferencesData' },
  ),
  'GetInferencesResponseBody',
);

export const DimensionParams = Type.Object({
  name: Type.String({ description: 'A dimension’s name (a feature, tag, prediction or actual column).' }),
});

export const EmbeddingParams = Type.Object({
  name: Type.String({ description: 'An embedding’s name (see GET /v1/inferences).' }),
});

const StartTime = Type.Optional(
  DateTime('Inclusive start of the primary time range (default: the start of the primary set).'),
);
const EndTime = Type.Optional(
  DateTime('Exclusive end of the primary time range (default: the end of the primary set).'),
);
const SetParameter = Type.Enum([...INFERENCES_SET_NAMES], {
  default: 'primary',
  description: 'Which set the time range applies to and the values are computed on.',
});

export const DataQualityQuery = Type.Object({
  inferences: SetParameter,
  start_time: StartTime,
  end_time: EndTime,
});

export const DriftQuery = Type.Object({
  metric: Type.Enum([...DRIFT_METRICS], { default: 'psi' }),
  start_time: StartTime,
  end_time: EndTime,
});

export const SegmentsQuery = Type.Object({ start_time: StartTime, end_time: EndTime });

const Granularity = {
  evaluation_window_minutes: Type.Optional(
    Type.Integer({
      minimum: 1,
      description:
        'Each point t covers [t − window, t). Default: one window over the whole range (Phoenix’s); given alone, it is also the sampling interval.',
    }),
  ),
  sampling_interval_minutes: Type.Optional(
    Type.Integer({
      minimum: 1,
      description:
        'Minutes between points, counted back from the end of the range. Default: the evaluation window.',
    }),
  ),
};

export const DimensionTimeSeriesQuery = Type.Object({
  metric: Type.Enum([...DATA_QUALITY_METRICS, ...DRIFT_METRICS], {
    description:
      'A data quality metric (on the set named by `inferences`) or a drift metric (primary against reference).',
  }),
  inferences: SetParameter,
  start_time: StartTime,
  end_time: EndTime,
  ...Granularity,
});

export const EmbeddingDriftQuery = Type.Object({
  metric: Type.Enum([...EMBEDDING_METRICS], {
    default: 'euclidean_distance',
    description:
      'euclidean_distance: between the centroids of the primary range and the reference; query_distance: to the corpus centroid.',
  }),
  start_time: StartTime,
  end_time: EndTime,
});

export const EmbeddingTimeSeriesQuery = Type.Object({
  metric: Type.Enum([...EMBEDDING_METRICS], { default: 'euclidean_distance' }),
  start_time: StartTime,
  end_time: EndTime,
  ...Granularity,
});

export const PerformanceQuery = Type.Object({
  metric: Type.Enum([...PERFORMANCE_METRICS], {
    default: 'accuracy',
    description:
      'accuracy / precision / recall / f1 (macro): predicted against actual labels; mae / rmse: scores; auc: actual labels against predicted scores.',
  }),
  inferences: SetParameter,
  start_time: StartTime,
  end_time: EndTime,
});

export const DataQualityBody = Data(
  Type.Object(
    {
      count: Value('Rows in the range.'),
      cardinality: Value('Distinct non-null values; null for floating-point columns (as Phoenix).'),
      percent_empty: Value('Share of null values, in percent.'),
      mean: Value('Of the values read as numbers.'),
      sum: Value('Of the values read as numbers.'),
      min: Value('Of the values read as numbers.'),
      max: Value('Of the values read as numbers.'),
      p01: Value('Quantile (linear interpolation, nulls left out).'),
      p25: Value('Quantile.'),
      p50: Value('Quantile.'),
      p75: Value('Quantile.'),
      p99: Value('Quantile.'),
    },
    { title: 'DataQualityData' },
  ),
  'GetDataQualityResponseBody',
);

export const ValueBody = (title: string) =>
  Data(
    Type.Object(
      { value: Value('null where the metric is undefined (an empty range, say).') },
      {
        title: 'MetricValue',
      },
    ),
    title,
  );

const SegmentBin = Type.Union(
  [
    Type.Object({ type: Type.Literal('nominal'), name: Type.String() }, { title: 'NominalBin' }),
    Type.Object(
      {
        type: Type.Literal('interval'),
        start: Nullable(
          Type.Number({ description: 'The lower edge, clamped to the column’s minimum over both sets.' }),
        ),
        end: Nullable(
          Type.Number({ description: 'The upper edge, clamped to the column’s maximum over both sets.' }),
        ),
        left: Nullable(Type.Number({ description: 'The raw lower edge (inclusive); null = −∞.' })),
        right: Nullable(Type.Number({ description: 'The raw upper edge (exclusive); null = +∞.' })),
      },
      { title: 'IntervalBin' },
    ),
    Type.Object({ type: Type.Literal('missing') }, { title: 'MissingBin' }),
  ],
  {
    description:
      'A bin of the drift binning: a value, a decile interval of the reference, or null / out of range.',
  },
);

export const SegmentsBody = Data(
  Type.Array(
    Type.Object(
      {
        bin: SegmentBin,
        primary: Type.Integer({ description: 'Rows of the primary range in the bin.' }),
        reference: Nullable(
          Type.Integer({ description: 'Rows of the reference in the bin; null without one.' }),
        ),
      },
      { title: 'Segment' },
    ),
  ),
  'GetSegmentsResponseBody',
);

export const TimeSeriesBody = Data(
  Type.Array(
    Type.Object(
      {
        timestamp: DateTime('The (exclusive) end t of the point’s window [t − window, t).'),
        value: Value('null where the window is empty or the metric undefined.'),
      },
      { title: 'TimeSeriesPoint' },
    ),
    { description: 'Oldest first.' },
  ),
  'GetTimeSeriesResponseBody',
);

export const SummaryQuery = Type.Object({ start_time: StartTime, end_time: EndTime });

export const SummaryBody = Data(
  Type.Object(
    {
      dimensions: Type.Array(
        Type.Object(
          {
            name: Type.String(),
            type: DimensionSchema.properties.type,
            data_type: DimensionSchema.properties.data_type,
            cardinality: Value('Distinct non-null values in the primary range; null for floats.'),
            percent_empty: Value('Share of nulls in the primary range, in percent.'),
            min: Value('Of the primary range.'),
            mean: Value('Of the primary range.'),
            max: Value('Of the primary range.'),
            psi: Value('Of the primary range against the whole reference; null without a reference.'),
          },
          { title: 'DimensionSummary' },
        ),
      ),
      embeddings: Type.Array(
        Type.Object(
          {
            name: Type.String(),
            euclidean_distance: Value('To the reference’s centroid; null without a reference.'),
            query_distance: Value('To the corpus’s centroid; null without a corpus.'),
          },
          { title: 'EmbeddingSummary' },
        ),
      ),
    },
    { title: 'InferencesSummaryData' },
  ),
  'GetInferencesSummaryResponseBody',
);
