import { Type } from 'typebox';
import { PROJECT_NAME_MAX_LENGTH } from '../../model/project-name.js';
import { Data, Nullable, Paginated } from './common.js';

export const ProjectSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Nullable(Type.String())),
    id: Type.String(),
  },
  { title: 'Project' },
);

export const ListProjectsQuery = Type.Object({
  cursor: Type.Optional(Type.String({ description: 'Cursor for pagination (project ID)' })),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'The max number of projects to return at a time.',
  }),
  include_experiment_projects: Type.Boolean({ default: false }),
  include_dataset_evaluator_projects: Type.Boolean({ default: false }),
  name_contains: Type.Optional(
    Type.String({
      description: 'Return only projects whose name contains this substring (case-insensitive).',
    }),
  ),
});

export const CreateProjectBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: PROJECT_NAME_MAX_LENGTH }),
    description: Type.Optional(Nullable(Type.String())),
  },
  { title: 'CreateProjectRequestBody' },
);

export const UpdateProjectBody = Type.Object(
  { description: Type.Optional(Nullable(Type.String())) },
  { title: 'UpdateProjectRequestBody' },
);

export const ProjectsPage = Paginated(ProjectSchema, 'GetProjectsResponseBody');
export const ProjectBody = Data(ProjectSchema, 'GetProjectResponseBody');
