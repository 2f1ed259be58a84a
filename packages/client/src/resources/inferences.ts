import { isoInstant, requireText } from '../arguments.js';
import { InvalidArgumentError } from '../errors.js';
import type { operations } from '../generated/openapi.js';
import { type Api, dataOf } from '../http.js';
import type { ResponseBody } from '../types.js';

/** The app's inference sets, their dimensions and embeddings (`GET /v1/inferences`). */
export type InferencesInfo = ResponseBody<'getInferences'>['data'];
export type InferencesDimension = InferencesInfo['dimensions'][number];
export type InferencesEmbedding = InferencesInfo['embeddings'][number];

type Query<Id extends keyof operations> = NonNullable<operations[Id]['parameters']['query']>;

/** Which set a data quality, time series or performance value is computed on. */
export type InferencesSetName = NonNullable<Query<'getDimensionDataQuality'>['inferences']>;
export type DriftMetric = NonNullable<Query<'getDimensionDrift'>['metric']>;
/** A data quality metric (`count`, `percent_empty`, `p50`, ...) or a drift metric (`psi`, ...). */
export type DimensionTimeSeriesMetric = Query<'getDimensionTimeSeries'>['metric'];
export type EmbeddingMetric = NonNullable<Query<'getEmbeddingDrift'>['metric']>;
export type PerformanceMetric = NonNullable<Query<'getPerformance'>['metric']>;

export type DataQuality = ResponseBody<'getDimensionDataQuality'>['data'];
export type Segment = ResponseBody<'getDimensionSegments'>['data'][number];
export type TimeSeriesPoint = ResponseBody<'getDimensionTimeSeries'>['data'][number];
/** The model home page's tables: every dimension's figures and PSI, every embedding's drift. */
export type InferencesSummary = ResponseBody<'getInferencesSummary'>['data'];
export type DimensionSummary = InferencesSummary['dimensions'][number];
export type EmbeddingSummary = InferencesSummary['embeddings'][number];

/** An exported Parquet file: its name (without `.parquet`), rows, time written and download URL. */
export type InferencesExport = ResponseBody<'exportInferences'>['data'];
export type InferencesExportListing = ResponseBody<'listInferencesExports'>['data'][number];

export type PointCloud = ResponseBody<'projectEmbedding'>['data'];
export type PointCloudPoint = PointCloud['points'][number];
export type PointCloudCluster = PointCloud['clusters'][number];

export interface ClusterOptions {
  /** HDBSCAN's smallest cluster; default 10. */
  minClusterSize?: number;
  /** HDBSCAN's neighbours of a core point; default 1. */
  minSamples?: number;
  /** HDBSCAN's merge distance; default 0. */
  clusterSelectionEpsilon?: number;
  /** A numeric dimension whose mean each cluster reports per set. */
  metricDimension?: string;
}

export interface PointCloudOptions extends ClusterOptions {
  /** UMAP's neighbourhood, 5–100; default 30 (or the app's defaultUmapParameters). */
  nNeighbors?: number;
  /** UMAP's packing, 0–0.99; default 0. */
  minDist?: number;
  /** Points per set, 1–100,000; default 500. */
  nSamples?: number;
  /** Default 3. */
  nComponents?: 2 | 3;
  /** Same seed, same cloud; default 0. */
  seed?: number;
  /** End of the primary's 2-day window; default the end of the primary set. */
  windowEnd?: Date | string;
}

const clusterBody = (options: ClusterOptions) => ({
  min_cluster_size: options.minClusterSize,
  min_samples: options.minSamples,
  cluster_selection_epsilon: options.clusterSelectionEpsilon,
  metric_dimension: options.metricDimension,
});

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export interface ExportCluster {
  /** Written as text in `__phoenix_cluster_id__`. */
  id: string | number;
  eventIds: readonly string[];
}

/** What to export: the points' event ids (`"<row>:<set>"`) or clusters, and the file's name. */
export type ExportSelection = ({ eventIds: readonly string[] } | { clusters: readonly ExportCluster[] }) & {
  /** Without `.parquet`. Default: the time in UTC, `YYYY-MM-DD_HH-MM-SS`. */
  fileName?: string;
};

export interface TimeRangeOptions {
  /** Inclusive start of the time range (default: the start of the set). */
  startTime?: Date | string;
  /** Exclusive end of the time range (default: the end of the set). */
  endTime?: Date | string;
}

export interface DataQualityOptions extends TimeRangeOptions {
  /** Default `primary`; the time range applies to this set. */
  inferences?: InferencesSetName;
}

export interface DriftOptions extends TimeRangeOptions {
  /** Default `psi`. */
  metric?: DriftMetric;
}

export interface GranularityOptions {
  /** Each point t covers [t − window, t). Default: one window over the whole range. */
  evaluationWindowMinutes?: number;
  /** Minutes between points, counted back from the end of the range. Default: the window. */
  samplingIntervalMinutes?: number;
}

export interface DimensionTimeSeriesOptions extends TimeRangeOptions, GranularityOptions {
  metric: DimensionTimeSeriesMetric;
  /** For a data quality metric: which set (default `primary`). */
  inferences?: InferencesSetName;
}

export interface EmbeddingDriftOptions extends TimeRangeOptions {
  /** Default `euclidean_distance` (to the reference); `query_distance`: to the corpus. */
  metric?: EmbeddingMetric;
}

export type EmbeddingTimeSeriesOptions = EmbeddingDriftOptions & GranularityOptions;

export interface PerformanceOptions extends TimeRangeOptions {
  /** Default `accuracy`. */
  metric?: PerformanceMetric;
  /** Default `primary`. */
  inferences?: InferencesSetName;
}

const timeQuery = ({ startTime, endTime }: TimeRangeOptions) => ({
  start_time: isoInstant(startTime, 'startTime'),
  end_time: isoInstant(endTime, 'endTime'),
});

const granularityQuery = (options: GranularityOptions) => ({
  evaluation_window_minutes: options.evaluationWindowMinutes,
  sampling_interval_minutes: options.samplingIntervalMinutes,
});

/**
 * The inference sets the app was launched with and the metrics that judge the model. An unknown
 * dimension or embedding, or an app without inference sets, is a NotFoundError; a bad metric, set,
 * time range or granularity an ApiError 422 whose `validationErrors` name the parameter.
 */
export class Inferences {
  constructor(private readonly api: Api) {}

  /**
   * Writes the rows of the points (or clusters) to `<working dir>/exports/<fileName>.parquet` of the
   * app, where `session.exports` reads them. An existing name is an ApiError 409; an unknown event id
   * or a name that would leave the folder an ApiError 422 naming it.
   */
  async export(selection: ExportSelection): Promise<InferencesExport> {
    const { fileName } = selection;
    const hasEvents = 'eventIds' in selection && selection.eventIds !== undefined;
    const hasClusters = 'clusters' in selection && selection.clusters !== undefined;
    if (hasEvents === hasClusters) throw new InvalidArgumentError('Give eventIds or clusters (one of them)');
    const body = {
      ...(hasEvents ? { event_ids: [...(selection as { eventIds: readonly string[] }).eventIds] } : {}),
      ...(hasClusters
        ? {
            clusters: (selection as { clusters: readonly ExportCluster[] }).clusters.map((c) => ({
              id: c.id,
              event_ids: [...c.eventIds],
            })),
          }
        : {}),
      ...(fileName === undefined ? {} : { file_name: fileName }),
    };
    return dataOf(await this.api.POST('/v1/inferences/exports', { body })).data;
  }

  /** The exported files, newest first. */
  async listExports(): Promise<InferencesExportListing[]> {
    return dataOf(await this.api.GET('/v1/inferences/exports')).data;
  }

  /** The sets (name, row count, time range), the dimensions and the embeddings. */
  async get(): Promise<InferencesInfo> {
    return dataOf(await this.api.GET('/v1/inferences')).data;
  }

  /**
   * The model home page's tables in one call: each dimension's cardinality, % empty, min, mean, max
   * over the primary range and its PSI against the reference; each embedding's Euclidean distance
   * to the reference and query distance to the corpus (null where the set is missing).
   */
  async summary(options: TimeRangeOptions = {}): Promise<InferencesSummary> {
    return dataOf(await this.api.GET('/v1/inferences/summary', { params: { query: timeQuery(options) } }))
      .data;
  }

  /** A dimension's count, cardinality, % empty, mean, sum, min, max and quantiles over a time range. */
  async dataQuality(dimension: string, options: DataQualityOptions = {}): Promise<DataQuality> {
    const name = requireText(dimension, 'dimension');
    const query = { inferences: options.inferences, ...timeQuery(options) };
    return dataOf(
      await this.api.GET('/v1/inferences/dimensions/{name}/data_quality', {
        params: { path: { name }, query },
      }),
    ).data;
  }

  /** A dimension's drift: the primary range against the whole reference (null: undefined). */
  async drift(dimension: string, options: DriftOptions = {}): Promise<number | null> {
    const name = requireText(dimension, 'dimension');
    const query = { metric: options.metric, ...timeQuery(options) };
    return dataOf(
      await this.api.GET('/v1/inferences/dimensions/{name}/drift', { params: { path: { name }, query } }),
    ).data.value;
  }

  /** The distribution bars: each bin of the drift binning with its primary and reference rows. */
  async segments(dimension: string, options: TimeRangeOptions = {}): Promise<Segment[]> {
    const name = requireText(dimension, 'dimension');
    return dataOf(
      await this.api.GET('/v1/inferences/dimensions/{name}/segments', {
        params: { path: { name }, query: timeQuery(options) },
      }),
    ).data;
  }

  /** A dimension's data quality or drift metric over time, oldest point first. */
  async timeSeries(dimension: string, options: DimensionTimeSeriesOptions): Promise<TimeSeriesPoint[]> {
    const name = requireText(dimension, 'dimension');
    // Without a metric (plain JS) the server's 422 names it.
    const given: Partial<DimensionTimeSeriesOptions> = options ?? {};
    const query = {
      metric: given.metric as DimensionTimeSeriesMetric,
      inferences: given.inferences,
      ...timeQuery(given),
      ...granularityQuery(given),
    };
    return dataOf(
      await this.api.GET('/v1/inferences/dimensions/{name}/time_series', {
        params: { path: { name }, query },
      }),
    ).data;
  }

  /** An embedding's centroid distance: primary range against the reference, or to the corpus. */
  async embeddingDrift(embedding: string, options: EmbeddingDriftOptions = {}): Promise<number | null> {
    const name = requireText(embedding, 'embedding');
    const query = { metric: options.metric, ...timeQuery(options) };
    return dataOf(
      await this.api.GET('/v1/inferences/embeddings/{name}/drift', { params: { path: { name }, query } }),
    ).data.value;
  }

  /** An embedding's drift over time, oldest point first (Phoenix's UI: a 2,880-minute window). */
  async embeddingTimeSeries(
    embedding: string,
    options: EmbeddingTimeSeriesOptions = {},
  ): Promise<TimeSeriesPoint[]> {
    const name = requireText(embedding, 'embedding');
    const query = { metric: options.metric, ...timeQuery(options), ...granularityQuery(options) };
    return dataOf(
      await this.api.GET('/v1/inferences/embeddings/{name}/time_series', {
        params: { path: { name }, query },
      }),
    ).data;
  }

  /** The model's accuracy (or precision, recall, f1, mae, rmse, auc) on a set; null without the columns. */
  async performance(options: PerformanceOptions = {}): Promise<number | null> {
    const query = { metric: options.metric, inferences: options.inferences, ...timeQuery(options) };
    return dataOf(await this.api.GET('/v1/inferences/performance', { params: { query } })).data.value;
  }

  /**
   * An embedding's point cloud: the sampled points projected with UMAP and clustered with HDBSCAN
   * by the server (in a worker thread; the same options again answer from its cache).
   */
  async pointCloud(embedding: string, options: PointCloudOptions = {}): Promise<PointCloud> {
    const name = requireText(embedding, 'embedding');
    const body = withoutUndefined({
      n_neighbors: options.nNeighbors,
      min_dist: options.minDist,
      n_samples: options.nSamples,
      n_components: options.nComponents,
      seed: options.seed,
      window_end: isoInstant(options.windowEnd, 'windowEnd'),
      ...clusterBody(options),
    });
    return dataOf(
      await this.api.POST('/v1/inferences/embeddings/{name}/umap', { params: { path: { name } }, body }),
    ).data;
  }

  /** The clusters of a point cloud's points again, with other HDBSCAN options (no second UMAP run). */
  async recluster(
    embedding: string,
    points: readonly Pick<PointCloudPoint, 'event_id' | 'coordinates'>[],
    options: ClusterOptions = {},
  ): Promise<PointCloudCluster[]> {
    const name = requireText(embedding, 'embedding');
    const body = withoutUndefined({
      event_ids: points.map((p) => p.event_id),
      coordinates: points.map((p) => [...p.coordinates]),
      ...clusterBody(options),
    });
    return dataOf(
      await this.api.POST('/v1/inferences/embeddings/{name}/clusters', { params: { path: { name } }, body }),
    ).data.clusters;
  }
}
