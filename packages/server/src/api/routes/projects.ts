import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listProjects } from '../../store/repositories/projects.js';
import { HttpError } from '../../util/http-error.js';
import type { ProjectRecord } from '../../writer/commands.js';
import { encodeGlobalId } from '../global-id.js';
import { cursorRowId, splitPage } from '../pagination.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import {
  CreateProjectBody,
  ListProjectsQuery,
  ProjectBody,
  ProjectsPage,
  UpdateProjectBody,
} from '../schemas/projects.js';
import type { ApiContext } from './context.js';

export function projectData(project: ProjectRecord) {
  return { name: project.name, description: project.description, id: encodeGlobalId('Project', project.id) };
}

/** Phoenix's projects: list (newest first, cursor), get / update / delete by GlobalID or name, create. */
export const projectRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { store, commands, defaultProject },
) => {
  const tags = ['projects'];

  app.get(
    '/v1/projects',
    {
      schema: {
        tags,
        operationId: 'getProjects',
        summary: 'List all projects',
        querystring: ListProjectsQuery,
        response: responses(ProjectsPage),
      },
    },
    async (request) => {
      const { cursor, limit, name_contains } = request.query;
      const rows = await listProjects(store, {
        fromId: cursorRowId(cursor),
        fetch: limit + 1,
        nameContains: name_contains ?? null,
      });
      const page = splitPage(rows, limit);
      return {
        data: page.rows.map(projectData),
        next_cursor: page.next ? encodeGlobalId('Project', page.next.id) : null,
      };
    },
  );

  app.post(
    '/v1/projects',
    {
      schema: {
        tags,
        operationId: 'createProject',
        summary: 'Create a new project',
        body: CreateProjectBody,
        response: responses(ProjectBody, 409),
      },
    },
    async (request) => {
      const { name, description = null } = request.body;
      const project = await commands.createProject({ name, description });
      if (!project) throw new HttpError(409, `Project with name ${name} already exists`);
      return { data: projectData(project) };
    },
  );

  app.get(
    '/v1/projects/:project_identifier',
    {
      schema: {
        tags,
        operationId: 'getProject',
        summary: 'Get project by ID or name',
        params: ProjectIdentifierParams,
        response: responses(ProjectBody, 404),
      },
    },
    async (request) => ({
      data: projectData(await resolveProject(store, request.params.project_identifier)),
    }),
  );

  app.put(
    '/v1/projects/:project_identifier',
    {
      schema: {
        tags,
        operationId: 'updateProject',
        summary: 'Update a project by ID or name',
        description: 'Only the description changes; project names cannot be changed.',
        params: ProjectIdentifierParams,
        body: UpdateProjectBody,
        response: responses(ProjectBody, 404),
      },
    },
    async (request) => {
      const { project_identifier } = request.params;
      const project = await resolveProject(store, project_identifier);
      const updated = await commands.updateProject({
        id: project.id,
        description: request.body.description ?? null,
      });
      if (!updated) throw new HttpError(404, `Project with identifier ${project_identifier} not found`);
      return { data: projectData(updated) };
    },
  );

  app.delete(
    '/v1/projects/:project_identifier',
    {
      schema: {
        tags,
        operationId: 'deleteProject',
        summary: 'Delete a project by ID or name',
        description:
          'Deletes the project with all its traces, spans, sessions and annotations. The default project cannot be deleted.',
        params: ProjectIdentifierParams,
        response: responses(null, 403, 404),
      },
    },
    async (request, reply) => {
      const { project_identifier } = request.params;
      const project = await resolveProject(store, project_identifier);
      if (project.name === defaultProject) throw new HttpError(403, 'The default project cannot be deleted');
      if (!(await commands.deleteProject({ id: project.id }))) {
        throw new HttpError(404, `Project with identifier ${project_identifier} not found`);
      }
      return reply.code(204).send();
    },
  );
};
