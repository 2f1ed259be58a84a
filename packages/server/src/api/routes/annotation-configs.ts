import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifySchemaCompiler } from 'fastify';
import type { AnnotationConfigRecord } from '../../model/annotation-config.js';
import { listAnnotationConfigs } from '../../store/repositories/annotation-configs.js';
import { HttpError } from '../../util/http-error.js';
import type {
  AnnotationConfigCommand,
  AnnotationConfigOutcome,
} from '../../writer/annotation-config-commands.js';
import { parseAnnotationConfigBody } from '../annotation-config-body.js';
import {
  configCursorId,
  configGlobalId,
  configRowId,
  resolveAnnotationConfig,
} from '../annotation-config-ids.js';
import { splitPage } from '../pagination.js';
import { typeboxValidatorCompiler } from '../request-validation.js';
import { resolveProject } from '../resolve.js';
import {
  AnnotationConfigsPage,
  AssignAnnotationConfigResponse,
  ConfigIdentifierParams,
  ConfigIdParams,
  CreateAnnotationConfigData,
  CreateAnnotationConfigResponse,
  DeleteAnnotationConfigResponse,
  GetAnnotationConfigResponse,
  ListAnnotationConfigsQuery,
  ProjectAnnotationConfigsPage,
  ProjectConfigParams,
  SetProjectAnnotationConfigsBody,
  SetProjectAnnotationConfigsResponse,
  UpdateAnnotationConfigResponse,
} from '../schemas/annotation-configs.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import type { ApiContext } from './context.js';

/** A config as Phoenix answers it: every field of its type, null when unset. */
export function annotationConfigData({ id, name, config }: AnnotationConfigRecord) {
  const gid = configGlobalId({ id, name, config });
  switch (config.type) {
    case 'CATEGORICAL':
      return {
        name,
        type: config.type,
        description: config.description,
        optimization_direction: config.optimization_direction,
        values: config.values.map((v) => ({ label: v.label, score: v.score })),
        id: gid,
      };
    case 'CONTINUOUS':
      return {
        name,
        type: config.type,
        description: config.description,
        optimization_direction: config.optimization_direction,
        lower_bound: config.lower_bound,
        upper_bound: config.upper_bound,
        id: gid,
      };
    case 'FREEFORM':
      return {
        name,
        type: config.type,
        description: config.description,
        optimization_direction: config.optimization_direction,
        threshold: config.threshold,
        lower_bound: config.lower_bound,
        upper_bound: config.upper_bound,
        id: gid,
      };
  }
}

const NAME_TAKEN = 'The name of the annotation configuration is already taken';
const NOTE_RESERVED =
  "The name 'note' is reserved for trace and span notes and cannot be used for annotation configs.";

/**
 * The body of a create or an update is checked by parseAnnotationConfigBody (pydantic's
 * discriminated union, with the tag in the errors' location), not by the schema's validator: the
 * schema only documents it.
 */
const bodyCheckedByHandler: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? (value: unknown) => ({ value }) : typeboxValidatorCompiler(route as never);

/**
 * Phoenix's annotation configs (`/v1/annotation_configs`: list newest first with cursors, get by
 * GlobalID or name, create, update, delete) and their assignment to projects
 * (`/v1/projects/{p}/annotation_configs`: list, replace the set, assign, unassign).
 */
export const annotationConfigRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { store, commands },
) => {
  const tags = ['annotation_configs'];
  const run = (command: AnnotationConfigCommand): Promise<AnnotationConfigOutcome> =>
    commands.annotationConfigs(command);
  const single = (outcome: AnnotationConfigOutcome) => {
    if (outcome.status === 'name-taken') throw new HttpError(409, NAME_TAKEN);
    if (outcome.status !== 'ok' || !outcome.configs[0]) {
      throw new HttpError(404, 'Annotation configuration not found');
    }
    return { data: annotationConfigData(outcome.configs[0]) };
  };
  const configBody = (body: unknown) => {
    const parsed = parseAnnotationConfigBody(body);
    if (parsed.name === 'note') throw new HttpError(409, NOTE_RESERVED);
    return parsed;
  };

  app.get(
    '/v1/annotation_configs',
    {
      schema: {
        tags,
        operationId: 'listAnnotationConfigs',
        summary: 'List annotation configurations',
        description: 'Retrieve a paginated list of all annotation configurations in the system.',
        querystring: ListAnnotationConfigsQuery,
        response: responses(AnnotationConfigsPage, 400),
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const rows = await listAnnotationConfigs(store, { fromId: configCursorId(cursor), fetch: limit + 1 });
      const page = splitPage(rows, limit);
      return {
        data: page.rows.map(annotationConfigData),
        next_cursor: page.next ? configGlobalId(page.next) : null,
      };
    },
  );

  app.get(
    '/v1/annotation_configs/:config_identifier',
    {
      schema: {
        tags,
        operationId: 'getAnnotationConfig',
        summary: 'Get an annotation configuration by ID or name',
        params: ConfigIdentifierParams,
        response: responses(GetAnnotationConfigResponse, 404),
      },
    },
    async (request) => ({
      data: annotationConfigData(await resolveAnnotationConfig(store, request.params.config_identifier)),
    }),
  );

  app.post(
    '/v1/annotation_configs',
    {
      schema: {
        tags,
        operationId: 'createAnnotationConfig',
        summary: 'Create an annotation configuration',
        body: CreateAnnotationConfigData,
        response: responses(CreateAnnotationConfigResponse, 400, 409),
      },
      validatorCompiler: bodyCheckedByHandler,
    },
    async (request) => {
      const { name, config } = configBody(request.body);
      return single(await run({ op: 'create', name, config }));
    },
  );

  app.put(
    '/v1/annotation_configs/:config_id',
    {
      schema: {
        tags,
        operationId: 'updateAnnotationConfig',
        summary: 'Update an annotation configuration',
        params: ConfigIdParams,
        body: CreateAnnotationConfigData,
        response: responses(UpdateAnnotationConfigResponse, 400, 404, 409),
      },
      validatorCompiler: bodyCheckedByHandler,
    },
    async (request) => {
      const { name, config } = configBody(request.body);
      const existing = await resolveAnnotationConfig(store, request.params.config_id);
      return single(await run({ op: 'update', id: existing.id, name, config }));
    },
  );

  app.delete(
    '/v1/annotation_configs/:config_id',
    {
      schema: {
        tags,
        operationId: 'deleteAnnotationConfig',
        summary: 'Delete an annotation configuration',
        params: ConfigIdParams,
        response: responses(DeleteAnnotationConfigResponse, 404),
      },
    },
    async (request) => {
      const existing = await resolveAnnotationConfig(store, request.params.config_id);
      return single(await run({ op: 'delete', id: existing.id }));
    },
  );

  app.get(
    '/v1/projects/:project_identifier/annotation_configs',
    {
      schema: {
        tags,
        operationId: 'getProjectAnnotationConfigs',
        summary: 'List annotation configurations assigned to a project',
        description:
          'Retrieve a paginated list of the annotation configurations assigned to a project, identified by either project ID or project name.',
        params: ProjectIdentifierParams,
        querystring: ListAnnotationConfigsQuery,
        response: responses(ProjectAnnotationConfigsPage, 400, 404),
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const fromId = configCursorId(cursor);
      const project = await resolveProject(store, request.params.project_identifier);
      const rows = await listAnnotationConfigs(store, { fromId, fetch: limit + 1, projectId: project.id });
      const page = splitPage(rows, limit);
      return {
        data: page.rows.map(annotationConfigData),
        next_cursor: page.next ? configGlobalId(page.next) : null,
      };
    },
  );

  app.put(
    '/v1/projects/:project_identifier/annotation_configs',
    {
      schema: {
        tags,
        operationId: 'setProjectAnnotationConfigs',
        summary: 'Replace the set of annotation configurations assigned to a project',
        description:
          "Replace the project's entire set of assigned annotation configurations with the provided set. The server diffs the desired set against the current set: configs in the body but not assigned are added, and configs assigned but not in the body are removed. An empty array clears all assignments.",
        params: ProjectIdentifierParams,
        body: SetProjectAnnotationConfigsBody,
        response: responses(SetProjectAnnotationConfigsResponse, 404),
      },
    },
    async (request) => {
      const configIds = request.body.annotation_config_ids.map((gid) => {
        const id = configRowId(gid);
        if (id === null) throw new HttpError(422, `Invalid annotation configuration ID: ${gid}`);
        return id;
      });
      const project = await resolveProject(store, request.params.project_identifier);
      const outcome = await run({ op: 'set', projectId: project.id, configIds });
      if (outcome.status === 'missing-configs') {
        throw new HttpError(422, 'One or more annotation configurations were not found');
      }
      if (outcome.status !== 'ok') {
        throw new HttpError(404, `Project with identifier ${request.params.project_identifier} not found`);
      }
      return { data: outcome.configs.map(annotationConfigData), next_cursor: null };
    },
  );

  app.put(
    '/v1/projects/:project_identifier/annotation_configs/:config_identifier',
    {
      schema: {
        tags,
        operationId: 'assignAnnotationConfigToProject',
        summary: 'Assign an annotation configuration to a project',
        description:
          'Assign an annotation configuration to a project. This operation is idempotent: re-assigning a config that is already assigned is a no-op that returns the config. Both the project and the config are identified by either ID or name.',
        params: ProjectConfigParams,
        response: responses(AssignAnnotationConfigResponse, 404),
      },
    },
    async (request) => {
      const { project_identifier, config_identifier } = request.params;
      const project = await resolveProject(store, project_identifier);
      const config = await resolveAnnotationConfig(store, config_identifier);
      return single(await run({ op: 'assign', projectId: project.id, configId: config.id }));
    },
  );

  app.delete(
    '/v1/projects/:project_identifier/annotation_configs/:config_identifier',
    {
      schema: {
        tags,
        operationId: 'unassignAnnotationConfigFromProject',
        summary: 'Unassign an annotation configuration from a project',
        description:
          'Unassign an annotation configuration from a project. This operation is idempotent: unassigning a config that is not currently assigned is a no-op. The underlying annotation config is not deleted. Both the project and the config are identified by either ID or name.',
        params: ProjectConfigParams,
        response: responses(null, 404),
      },
    },
    async (request, reply) => {
      const { project_identifier, config_identifier } = request.params;
      const project = await resolveProject(store, project_identifier);
      const config = await resolveAnnotationConfig(store, config_identifier);
      const outcome = await run({ op: 'unassign', projectId: project.id, configId: config.id });
      if (outcome.status !== 'ok') throw new HttpError(404, 'Annotation configuration not found');
      return reply.code(204).send();
    },
  );
};
