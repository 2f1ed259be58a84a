import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { InferenceModel, SetRole, TimeSeriesPoint } from '@fawkes/inferences';
import { SummaryPool } from '../../server/summary-pool.js';
import { responses } from '../schemas/common.js';
import {
  DataQualityBody,
  DataQualityQuery,
  DimensionParams,
  DimensionTimeSeriesQuery,
  DriftQuery,
  EmbeddingDriftQuery,
  EmbeddingParams,
  EmbeddingTimeSeriesQuery,
  InferencesBody,
  PerformanceQuery,
  SegmentsBody,
  SegmentsQuery,
  SummaryBody,
  SummaryQuery,
  TimeSeriesBody,
  ValueBody,
} from '../schemas/inferences.js';
import type { ApiContext } from './context.js';
import {
  answer,
  answerLater,
  granularity,
  isoFromMillis,
  requireInferences,
  timeRange,
} from './inferences-calls.js';

/** Below this many primary rows, the home page's tables are quicker computed here than shared out to threads. */
const POOL_MIN_ROWS = 20_000;

/** A number on the wire: NaN and ±∞ (Phoenix's "no value") are null. */
const wire = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const iso = isoFromMillis;

const wireSeries = (points: readonly TimeSeriesPoint[]) =>
  points.map((p) => ({ timestamp: iso(p.timestamp), value: wire(p.value) }));

/** The inference sets the app was launched with: `GET /v1/inferences`. */
export const inferencesRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { inferences }) => {
  const tags = ['inferences'];
  const context = () => requireInferences(inferences);
  const model = (): InferenceModel => context().model;
  // A large model's summaries come from a pool of threads, started with the server so that the
  // home page's first table only pays for its primary range (see SummaryPool).
  const pool =
    inferences && inferences.model.primary.rowCount >= POOL_MIN_ROWS
      ? new SummaryPool(inferences.model)
      : undefined;
  app.addHook('onClose', async () => {
    await pool?.close();
  });

  app.get(
    '/v1/inferences',
    {
      schema: {
        tags,
        operationId: 'getInferences',
        summary: 'The inference sets, their dimensions and embeddings (Fawkes)',
        description:
          'The sets the app was launched with (primary, and reference and corpus when given), the dimensions (features, tags, predictions, actuals) and embeddings. 404 when it was launched without inference sets.',
        response: responses(InferencesBody, 404),
      },
    },
    async () => {
      const { model, umapParameters } = context();
      const set = (role: SetRole) => {
        const summary = model.sets.find((s) => s.role === role);
        if (!summary) return null;
        const { start, end } = summary.timeRange;
        return {
          name: summary.name,
          row_count: summary.rowCount,
          start_time: iso(start),
          end_time: iso(end),
        };
      };
      return {
        data: {
          primary: set('primary')!,
          reference: set('reference'),
          corpus: set('corpus'),
          dimensions: model.dimensions.map((d) => ({
            name: d.name,
            type: d.type,
            data_type: d.dataType,
            shape: d.shape,
          })),
          embeddings: model.embeddings.map((e) => ({ name: e.name, dimension: e.dimension })),
          default_umap_parameters: {
            min_dist: umapParameters.minDist,
            n_neighbors: umapParameters.nNeighbors,
            n_samples: umapParameters.nSamples,
          },
        },
      };
    },
  );

  app.get(
    '/v1/inferences/summary',
    {
      schema: {
        tags,
        operationId: 'getInferencesSummary',
        summary: "The model home page's tables in one call (Fawkes)",
        description:
          'Every dimension’s data quality over the primary range [start_time, end_time) (default: all of it) with its PSI against the whole reference, and every embedding’s drift.',
        querystring: SummaryQuery,
        response: responses(SummaryBody, 404),
      },
    },
    async (request) => {
      const m = model();
      const range = timeRange(m, request.query);
      const summary = await answerLater(async () =>
        pool ? pool.summary(range) : m.summary({ timeRange: range }),
      );
      return {
        data: {
          dimensions: summary.dimensions.map((d) => ({
            name: d.name,
            type: d.type,
            data_type: d.dataType,
            cardinality: wire(d.cardinality),
            percent_empty: wire(d.percentEmpty),
            min: wire(d.min),
            mean: wire(d.mean),
            max: wire(d.max),
            psi: wire(d.psi),
          })),
          embeddings: summary.embeddings.map((e) => ({
            name: e.name,
            euclidean_distance: wire(e.euclideanDistance),
            query_distance: wire(e.queryDistance),
          })),
        },
      };
    },
  );

  app.get(
    '/v1/inferences/dimensions/:name/data_quality',
    {
      schema: {
        tags,
        operationId: 'getDimensionDataQuality',
        summary: "A dimension's data quality over a time range (Fawkes)",
        description:
          'Phoenix’s data quality metrics of one dimension in one set (primary by default) over [start_time, end_time) (default: the whole set). Each value is a number or null.',
        params: DimensionParams,
        querystring: DataQualityQuery,
        response: responses(DataQualityBody, 404),
      },
    },
    async (request) => {
      const { inferences: set, ...time } = request.query;
      const m = model();
      const q = answer(() =>
        m.dataQuality(request.params.name, { inferences: set, timeRange: timeRange(m, time, set) }),
      );
      return {
        data: {
          count: wire(q.count),
          cardinality: wire(q.cardinality),
          percent_empty: wire(q.percentEmpty),
          mean: wire(q.mean),
          sum: wire(q.sum),
          min: wire(q.min),
          max: wire(q.max),
          p01: wire(q.p01),
          p25: wire(q.p25),
          p50: wire(q.p50),
          p75: wire(q.p75),
          p99: wire(q.p99),
        },
      };
    },
  );

  app.get(
    '/v1/inferences/dimensions/:name/drift',
    {
      schema: {
        tags,
        operationId: 'getDimensionDrift',
        summary: "A dimension's drift, primary against reference (Fawkes)",
        description:
          'PSI, KL divergence or JS distance of the primary set over [start_time, end_time) (default: all of it) against the whole reference set, with Phoenix’s binning.',
        params: DimensionParams,
        querystring: DriftQuery,
        response: responses(ValueBody('GetDimensionDriftResponseBody'), 404),
      },
    },
    async (request) => {
      const { metric, ...time } = request.query;
      const m = model();
      return {
        data: {
          value: wire(answer(() => m.drift(request.params.name, metric, { timeRange: timeRange(m, time) }))),
        },
      };
    },
  );

  app.get(
    '/v1/inferences/dimensions/:name/segments',
    {
      schema: {
        tags,
        operationId: 'getDimensionSegments',
        summary: "A dimension's distribution, primary against reference (Fawkes)",
        description:
          'The bins of the drift binning (reference deciles for continuous dimensions, one per value for discrete ones, and a missing bin), each with the rows of the primary range and of the reference in it.',
        params: DimensionParams,
        querystring: SegmentsQuery,
        response: responses(SegmentsBody, 404),
      },
    },
    async (request) => ({
      data: answer(() =>
        model().segments(request.params.name, { timeRange: timeRange(model(), request.query) }),
      ).map((segment) => ({
        bin:
          segment.bin.type === 'interval'
            ? {
                type: 'interval' as const,
                start: segment.bin.start,
                end: segment.bin.end,
                left: wire(segment.bin.left),
                right: wire(segment.bin.right),
              }
            : segment.bin,
        primary: segment.primary,
        reference: segment.reference ?? null,
      })),
    }),
  );

  app.get(
    '/v1/inferences/dimensions/:name/time_series',
    {
      schema: {
        tags,
        operationId: 'getDimensionTimeSeries',
        summary: "A dimension's metric over time (Fawkes)",
        description:
          'One point per sampling interval, counted back from end_time, each over [t − evaluation window, t); oldest first.',
        params: DimensionParams,
        querystring: DimensionTimeSeriesQuery,
        response: responses(TimeSeriesBody, 404),
      },
    },
    async (request) => {
      const {
        metric,
        inferences: set,
        evaluation_window_minutes,
        sampling_interval_minutes,
        ...time
      } = request.query;
      const m = model();
      const points = answer(() =>
        m.timeSeries(request.params.name, metric, {
          inferences: set,
          timeRange: timeRange(m, time, set),
          granularity: granularity({ evaluation_window_minutes, sampling_interval_minutes }),
        }),
      );
      return { data: wireSeries(points) };
    },
  );

  app.get(
    '/v1/inferences/embeddings/:name/drift',
    {
      schema: {
        tags,
        operationId: 'getEmbeddingDrift',
        summary: "An embedding's drift (Fawkes)",
        description:
          'The Euclidean distance between the centroid of the primary range’s vectors and that of the reference’s (euclidean_distance) or of the corpus’s (query_distance).',
        params: EmbeddingParams,
        querystring: EmbeddingDriftQuery,
        response: responses(ValueBody('GetEmbeddingDriftResponseBody'), 404),
      },
    },
    async (request) => {
      const { metric, ...time } = request.query;
      return {
        data: {
          value: wire(
            answer(() =>
              model().embeddingDrift(request.params.name, metric, { timeRange: timeRange(model(), time) }),
            ),
          ),
        },
      };
    },
  );

  app.get(
    '/v1/inferences/embeddings/:name/time_series',
    {
      schema: {
        tags,
        operationId: 'getEmbeddingTimeSeries',
        summary: "An embedding's drift over time (Fawkes)",
        description:
          'As the dimension time series (Phoenix’s UI asks for a 2-day window, evaluation_window_minutes=2880).',
        params: EmbeddingParams,
        querystring: EmbeddingTimeSeriesQuery,
        response: responses(TimeSeriesBody, 404),
      },
    },
    async (request) => {
      const { metric, evaluation_window_minutes, sampling_interval_minutes, ...time } = request.query;
      const m = model();
      const points = answer(() =>
        m.embeddingDriftTimeSeries(request.params.name, metric, {
          timeRange: timeRange(m, time),
          granularity: granularity({ evaluation_window_minutes, sampling_interval_minutes }),
        }),
      );
      return { data: wireSeries(points) };
    },
  );

  app.get(
    '/v1/inferences/performance',
    {
      schema: {
        tags,
        operationId: 'getPerformance',
        summary: "The model's performance (Fawkes)",
        description:
          'accuracy (as Phoenix), macro precision / recall / f1 of the predicted labels against the actual ones; mae / rmse of the predicted scores against the actual ones; auc of the predicted scores against the actual labels. null where the set lacks the columns.',
        querystring: PerformanceQuery,
        response: responses(ValueBody('GetPerformanceResponseBody'), 404),
      },
    },
    async (request) => {
      const { metric, inferences: set, ...time } = request.query;
      const m = model();
      return {
        data: {
          value: wire(
            answer(() => m.performance(metric, { inferences: set, timeRange: timeRange(m, time, set) })),
          ),
        },
      };
    },
  );
};
