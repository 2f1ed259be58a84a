import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type PolicyInForce, policyInForce } from '../../retention/policy.js';
import { sweepProject } from '../../retention/sweep-project.js';
import { findRetentionLimits } from '../../store/repositories/retention-policies.js';
import { HttpError } from '../../util/http-error.js';
import { parseDateTime } from '../datetime.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import {
  DeletedTracesBody,
  DeleteTracesOlderThanBody,
  PutRetentionPolicyBody,
  RetentionPolicyBody,
} from '../schemas/retention.js';
import type { ApiContext } from './context.js';

const policyData = (policy: PolicyInForce) => ({
  max_age_days: policy.maxAgeDays,
  max_traces: policy.maxTraces,
  source: policy.source,
});

/** Traces per transaction of a manual delete, as the sweeper's (retention/sweeper.ts). */
const MANUAL_BATCH_TRACES = 200;

/**
 * A project's retention policy (its own, else the server's default) and a manual "delete traces
 * older than"; the sweeper (retention/sweeper.ts) applies the policies.
 */
export const retentionRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { store, commands, defaultRetentionDays = 0 },
) => {
  const tags = ['projects'];
  const path = '/v1/projects/:project_identifier/retention_policy';
  const inForce = async (projectId: number) =>
    policyData(policyInForce(await findRetentionLimits(store, projectId), defaultRetentionDays));
  const notFound = (identifier: string) =>
    new HttpError(404, `Project with identifier ${identifier} not found`);

  app.get(
    path,
    {
      schema: {
        tags,
        operationId: 'getRetentionPolicy',
        summary: "Get a project's retention policy",
        description: "The project's own policy, else the server's default.",
        params: ProjectIdentifierParams,
        response: responses(RetentionPolicyBody, 404),
      },
    },
    async (request) => {
      const project = await resolveProject(store, request.params.project_identifier);
      return { data: await inForce(project.id) };
    },
  );

  app.put(
    path,
    {
      schema: {
        tags,
        operationId: 'putRetentionPolicy',
        summary: "Set a project's own retention policy",
        description:
          'Traces that started more than max_age_days ago, and the oldest beyond max_traces, are deleted by the next sweep. Answers the policy in force.',
        params: ProjectIdentifierParams,
        body: PutRetentionPolicyBody,
        response: responses(RetentionPolicyBody, 404),
      },
    },
    async (request) => {
      const { project_identifier } = request.params;
      const project = await resolveProject(store, project_identifier);
      const { max_age_days = null, max_traces = null } = request.body;
      const limits = { maxAgeDays: max_age_days, maxTraces: max_traces };
      if (!(await commands.setRetentionPolicy({ projectId: project.id, limits }))) {
        throw notFound(project_identifier);
      }
      return { data: await inForce(project.id) };
    },
  );

  app.delete(
    path,
    {
      schema: {
        tags,
        operationId: 'deleteRetentionPolicy',
        summary: "Remove a project's own retention policy",
        description: "The project follows the server's default again. Answers the policy in force.",
        params: ProjectIdentifierParams,
        response: responses(RetentionPolicyBody, 404),
      },
    },
    async (request) => {
      const { project_identifier } = request.params;
      const project = await resolveProject(store, project_identifier);
      if (!(await commands.setRetentionPolicy({ projectId: project.id, limits: null }))) {
        throw notFound(project_identifier);
      }
      return { data: await inForce(project.id) };
    },
  );

  app.post(
    '/v1/projects/:project_identifier/traces/delete_older_than',
    {
      schema: {
        tags: ['traces'],
        operationId: 'deleteTracesOlderThan',
        summary: 'Delete the traces of a project that started before an instant',
        description:
          'Deletes whole traces (their spans, annotations and notes; sessions left empty go too), in small transactions so that ingest goes on meanwhile; answers once all are deleted, with how many.',
        params: ProjectIdentifierParams,
        body: DeleteTracesOlderThanBody,
        response: responses(DeletedTracesBody, 404),
      },
    },
    async (request) => {
      const project = await resolveProject(store, request.params.project_identifier);
      // The schema's date-time format has already checked it.
      const before = parseDateTime(request.body.before)!.micros;
      const deleted = await sweepProject(commands, project.id, [{ startedBefore: before }], {
        batchTraces: MANUAL_BATCH_TRACES,
        betweenBatches: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return true;
        },
      });
      return { data: { deleted_traces: deleted } };
    },
  );
};
