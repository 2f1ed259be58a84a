import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { firstTraceStart, metricPoints } from '../../store/repositories/metrics.js';
import { type Bucket, bucketStarts, chooseBucket } from '../../store/repositories/time-buckets.js';
import { topModels } from '../../store/repositories/top-models.js';
import { isoFromMicros } from '../datetime.js';
import { RequestValidationError } from '../fastapi-errors.js';
import { denseSeries } from '../metric-series.js';
import { micros } from '../query-values.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import { MetricsQuery, MetricsResponse, TopModelsQuery, TopModelsResponse } from '../schemas/metrics.js';
import type { ApiContext } from './context.js';

/** More buckets than a chart can show are refused rather than computed. */
export const MAX_BUCKETS = 10_000;

const invalid = (param: string, msg: string, input: unknown) =>
  new RequestValidationError([{ loc: ['query', param], msg, type: 'value_error', input }]);

/** A project's metrics over time: one series set per request, bucketed like Phoenix's metrics page. */
export const metricRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { store }) => {
  app.get(
    '/v1/projects/:project_identifier/metrics',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'getProjectMetrics',
        summary: 'Time-bucketed metric series for a project',
        description:
          'Spans and traces by status, trace latency percentiles, tokens, LLM and tool span errors, or annotation mean scores, in buckets over [start_time, end_time).',
        params: ProjectIdentifierParams,
        querystring: MetricsQuery,
        response: responses(MetricsResponse, 404),
      },
    },
    async (request) => {
      const q = request.query;
      const project = await resolveProject(store, request.params.project_identifier);
      const end = micros(q.end_time) ?? Date.now() * 1000;
      const start = micros(q.start_time) ?? (await firstTraceStart(store, project.id));
      if (start !== null && start >= end) {
        throw invalid(
          'start_time',
          `start_time must be before end_time (got ${q.start_time ?? isoFromMicros(start)} and ${q.end_time ?? isoFromMicros(end)})`,
          q.start_time,
        );
      }
      const bucket: Bucket = (q.bucket as Bucket | undefined) ?? chooseBucket(start, end);
      const starts = start === null ? [] : bucketStarts(start, end, bucket, MAX_BUCKETS);
      if (starts === null) {
        throw invalid(
          'bucket',
          `More than ${MAX_BUCKETS} ${bucket} buckets in the range; choose a larger bucket or a shorter range`,
          q.bucket,
        );
      }
      const points =
        start === null
          ? []
          : await metricPoints(store, q.metric, { projectId: project.id, start, end, bucket });
      return {
        data: {
          metric: q.metric,
          bucket,
          start_time: start === null ? null : isoFromMicros(start),
          end_time: isoFromMicros(end),
          timestamps: starts.map(isoFromMicros),
          series: denseSeries(q.metric, starts, points),
        },
      };
    },
  );

  app.get(
    '/v1/projects/:project_identifier/metrics/top_models',
    {
      schema: {
        tags: ['metrics'],
        operationId: 'getProjectTopModels',
        summary: 'The models of a project ranked by cost or by tokens',
        description:
          "Per llm.model_name of the project's spans starting in [start_time, end_time) (unbounded where not given): span count, prompt / completion tokens, and cost at the prices in force (the project's own, then the built-in table), the costliest (order_by=cost) or the most used (order_by=tokens) first.",
        params: ProjectIdentifierParams,
        querystring: TopModelsQuery,
        response: responses(TopModelsResponse, 404),
      },
    },
    async (request) => {
      const q = request.query;
      const project = await resolveProject(store, request.params.project_identifier);
      const start = micros(q.start_time);
      const end = micros(q.end_time);
      if (start !== null && end !== null && start >= end) {
        throw invalid(
          'start_time',
          `start_time must be before end_time (got ${q.start_time} and ${q.end_time})`,
          q.start_time,
        );
      }
      const orderBy = q.order_by ?? 'cost';
      const models = await topModels(store, {
        projectId: project.id,
        start,
        end,
        orderBy,
        limit: q.limit ?? 10,
      });
      return {
        data: {
          order_by: orderBy,
          start_time: start === null ? null : isoFromMicros(start),
          end_time: end === null ? null : isoFromMicros(end),
          models,
        },
      };
    },
  );
};
