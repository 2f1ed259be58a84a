import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { typeboxValidatorCompiler } from '../api/request-validation.js';
import { ValidationErrorSchema } from '../api/schemas/common.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { filterVocabulary } from './filter-vocabulary.js';
import { FilterVocabularyParams, FilterVocabularySchema } from './filter-vocabulary-schema.js';
import { findProject } from './ids.js';

/** `GET /v1/ui/projects/{project}/filter_vocabulary`: what the filter bar suggests (UI). */
export const filterVocabularyRoute: FastifyPluginAsyncTypebox<{ store: ReadStore }> = async (
  app,
  { store },
) => {
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.get(
    '/v1/ui/projects/:project/filter_vocabulary',
    {
      schema: {
        tags: ['ui'],
        summary:
          'What the filter bar suggests: span fields, a sample of attribute paths, annotation names (UI)',
        params: FilterVocabularyParams,
        response: {
          200: FilterVocabularySchema,
          404: { description: 'Not Found', content: { 'text/plain': { schema: { type: 'string' } } } },
          422: ValidationErrorSchema,
        },
      },
    },
    async (request) => filterVocabulary(store, await findProject(store, request.params.project)),
  );
};
