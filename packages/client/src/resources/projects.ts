import { optionalLimit, projectIdentifier, requireText } from '../arguments.js';
import { InvalidArgumentError } from '../errors.js';
import { type Api, dataOf } from '../http.js';
import { collectPages } from '../pagination.js';
import type { Project, ProjectSelector } from '../types.js';

export interface ListProjectsOptions {
  /** At most this many projects (default: all). */
  limit?: number;
}

/** Projects: list, get, create, update (description), delete. */
export class Projects {
  constructor(private readonly api: Api) {}

  /** Every project (or the first `limit`), following the server's cursors. */
  async list({ limit }: ListProjectsOptions = {}): Promise<Project[]> {
    return collectPages(
      async (cursor, pageSize) =>
        dataOf(
          await this.api.GET('/v1/projects', {
            params: {
              query: {
                ...(cursor ? { cursor } : {}),
                limit: pageSize,
                include_experiment_projects: false,
                include_dataset_evaluator_projects: false,
              },
            },
          }),
        ),
      { limit: optionalLimit(limit) },
    );
  }

  /** One project by GlobalID or name; NotFoundError when there is none. */
  async get(selector: ProjectSelector): Promise<Project> {
    const project_identifier = projectIdentifier(selector, null);
    return dataOf(
      await this.api.GET('/v1/projects/{project_identifier}', { params: { path: { project_identifier } } }),
    ).data;
  }

  /** A new project; ApiError 409 when the name is taken. */
  async create({ name, description }: { name: string; description?: string | null }): Promise<Project> {
    const body = { name: requireText(name, 'name'), ...(description != null ? { description } : {}) };
    return dataOf(await this.api.POST('/v1/projects', { body })).data;
  }

  /** Changes a project's description (names cannot change). */
  async update(options: ProjectSelector & { description: string | null }): Promise<Project> {
    if (!('description' in options)) throw new InvalidArgumentError('update needs a description (or null)');
    const project_identifier = projectIdentifier(options, null);
    return dataOf(
      await this.api.PUT('/v1/projects/{project_identifier}', {
        params: { path: { project_identifier } },
        body: { description: options.description },
      }),
    ).data;
  }

  /** Deletes a project with its traces, spans, sessions and annotations (not the default project). */
  async delete(selector: ProjectSelector): Promise<void> {
    const project_identifier = projectIdentifier(selector, null);
    await this.api.DELETE('/v1/projects/{project_identifier}', { params: { path: { project_identifier } } });
  }
}
