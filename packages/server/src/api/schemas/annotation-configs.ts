import { type TObject, type TSchema, Type } from 'typebox';
import { Data, Nullable, Paginated } from './common.js';

export const OptimizationDirectionSchema = Type.Enum(['MINIMIZE', 'MAXIMIZE', 'NONE'], {
  title: 'OptimizationDirection',
});

export const CategoricalAnnotationValueSchema = Type.Object(
  { label: Type.String(), score: Type.Optional(Nullable(Type.Number())) },
  { title: 'CategoricalAnnotationValue' },
);

const base = {
  name: Type.String({ minLength: 1 }),
  description: Type.Optional(Nullable(Type.String())),
};

const bounds = {
  lower_bound: Type.Optional(Nullable(Type.Number())),
  upper_bound: Type.Optional(Nullable(Type.Number())),
};

export const CategoricalAnnotationConfigData = Type.Object(
  {
    ...base,
    type: Type.Literal('CATEGORICAL'),
    optimization_direction: OptimizationDirectionSchema,
    values: Type.Array(CategoricalAnnotationValueSchema),
  },
  { title: 'CategoricalAnnotationConfigData' },
);

export const ContinuousAnnotationConfigData = Type.Object(
  {
    ...base,
    type: Type.Literal('CONTINUOUS'),
    optimization_direction: OptimizationDirectionSchema,
    ...bounds,
  },
  { title: 'ContinuousAnnotationConfigData' },
);

export const FreeformAnnotationConfigData = Type.Object(
  {
    ...base,
    type: Type.Literal('FREEFORM'),
    optimization_direction: Type.Optional(Nullable(OptimizationDirectionSchema)),
    threshold: Type.Optional(Nullable(Type.Number())),
    ...bounds,
  },
  { title: 'FreeformAnnotationConfigData' },
);

/** The body of a create or an update, by its `type` (pydantic's discriminated union). */
export const CONFIG_DATA_BY_TYPE: Record<string, TObject> = {
  CATEGORICAL: CategoricalAnnotationConfigData,
  CONTINUOUS: ContinuousAnnotationConfigData,
  FREEFORM: FreeformAnnotationConfigData,
};

export const CreateAnnotationConfigData = Type.Union(
  [CategoricalAnnotationConfigData, ContinuousAnnotationConfigData, FreeformAnnotationConfigData],
  { title: 'CreateAnnotationConfigData' },
);

const withId = (data: TObject, title: string) =>
  Type.Object({ ...data.properties, name: Type.String(), id: Type.String() }, { title });

export const AnnotationConfigSchema = Type.Union(
  [
    withId(CategoricalAnnotationConfigData, 'CategoricalAnnotationConfig'),
    withId(ContinuousAnnotationConfigData, 'ContinuousAnnotationConfig'),
    withId(FreeformAnnotationConfigData, 'FreeformAnnotationConfig'),
  ],
  { title: 'AnnotationConfig' },
);

const one = (title: string): TSchema => Data(AnnotationConfigSchema, title);
const page = (title: string): TSchema => Paginated(AnnotationConfigSchema, title);

export const AnnotationConfigsPage = page('GetAnnotationConfigsResponseBody');
export const ProjectAnnotationConfigsPage = page('GetProjectAnnotationConfigsResponseBody');
export const SetProjectAnnotationConfigsResponse = page('SetProjectAnnotationConfigsResponseBody');
export const GetAnnotationConfigResponse = one('GetAnnotationConfigResponseBody');
export const CreateAnnotationConfigResponse = one('CreateAnnotationConfigResponseBody');
export const UpdateAnnotationConfigResponse = one('UpdateAnnotationConfigResponseBody');
export const DeleteAnnotationConfigResponse = one('DeleteAnnotationConfigResponseBody');
export const AssignAnnotationConfigResponse = one('AssignAnnotationConfigToProjectResponseBody');

export const ListAnnotationConfigsQuery = Type.Object({
  cursor: Type.Optional(
    Nullable(Type.String({ description: 'Cursor for pagination (base64-encoded annotation config ID)' })),
  ),
  limit: Type.Integer({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 100,
    description: 'Maximum number of configs to return',
  }),
});

export const ConfigIdentifierParams = Type.Object({
  config_identifier: Type.String({ description: 'ID or name of the annotation configuration' }),
});

export const ConfigIdParams = Type.Object({
  config_id: Type.String({ description: 'ID of the annotation configuration' }),
});

export const ProjectConfigParams = Type.Object({
  project_identifier: Type.String({
    description: 'The project identifier: either project ID or project name.',
  }),
  config_identifier: Type.String({
    description: 'The annotation configuration identifier: either ID or name.',
  }),
});

export const SetProjectAnnotationConfigsBody = Type.Object(
  {
    annotation_config_ids: Type.Array(Type.String(), {
      description:
        'The complete set of annotation configuration GlobalIDs that should be assigned to the project. Configs not in this list are unassigned; an empty list clears all assignments.',
    }),
  },
  { title: 'SetProjectAnnotationConfigsRequestBody' },
);
