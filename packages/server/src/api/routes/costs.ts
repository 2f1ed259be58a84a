import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sumCosts } from '../../store/repositories/costs.js';
import { micros } from '../query-values.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import { CostSummaryBody, CostSummaryQuery } from '../schemas/costs.js';
import type { ApiContext } from './context.js';

/** Cumulative cost of a project's spans: in a time range, of a trace, a session or one span. */
export const costRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { store }) => {
  app.get(
    '/v1/projects/:project_identifier/cost_summary',
    {
      schema: {
        tags: ['costs'],
        operationId: 'getCostSummary',
        summary: 'Cumulative cost of spans',
        description:
          "Adds up the cost of the project's spans in scope (every given filter applies), computed when read from their token counts and the prices in force now: the project's own model prices, then the built-in table. Spans whose model has no price cost nothing.",
        params: ProjectIdentifierParams,
        querystring: CostSummaryQuery,
        response: responses(CostSummaryBody, 404),
      },
    },
    async (request) => {
      const project = await resolveProject(store, request.params.project_identifier);
      const q = request.query;
      return {
        data: await sumCosts(store, {
          projectId: project.id,
          startFrom: micros(q.start_time),
          startBefore: micros(q.end_time),
          traceId: q.trace_id ?? null,
          sessionId: q.session_id ?? null,
          spanId: q.span_id ?? null,
        }),
      };
    },
  );
};
