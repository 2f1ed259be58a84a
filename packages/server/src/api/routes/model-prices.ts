import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { patternProblem } from '../../cost/model-name-pattern.js';
import { recosterFor } from '../../cost/recoster.js';
import { listModelPrices, type ModelPriceRecord } from '../../store/repositories/model-prices.js';
import { HttpError } from '../../util/http-error.js';
import { nowMicros } from '../../writer/sqlite/commands.js';
import { isoFromMicros } from '../datetime.js';
import { RequestValidationError } from '../fastapi-errors.js';
import { encodeGlobalId, rowIdFromGlobalId } from '../global-id.js';
import { resolveProject } from '../resolve.js';
import { ProjectIdentifierParams, responses } from '../schemas/common.js';
import {
  CreateModelPriceBody,
  ModelPriceBody,
  ModelPriceParams,
  ModelPricesBody,
} from '../schemas/model-prices.js';
import type { ApiContext } from './context.js';

function modelPriceData(price: ModelPriceRecord) {
  return {
    id: encodeGlobalId('GenerativeModel', price.id),
    model_name_pattern: price.model_name_pattern,
    provider: price.provider,
    prompt_cost_per_token: price.prompt_cost_per_token,
    completion_cost_per_token: price.completion_cost_per_token,
    cache_read_cost_per_token: price.cache_read_cost_per_token,
    cache_write_cost_per_token: price.cache_write_cost_per_token,
    reasoning_cost_per_token: price.reasoning_cost_per_token,
    created_at: isoFromMicros(price.created_at),
  };
}

/**
 * A project's own model prices, which take precedence over the built-in table. Costs are written
 * with the spans (migration 0011); a price added or deleted here re-costs the project's stored
 * spans in batches, and is answered once that is done, so every figure read afterwards has it.
 */
export const modelPriceRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { store, commands }) => {
  const tags = ['model prices'];

  app.get(
    '/v1/projects/:project_identifier/model_prices',
    {
      schema: {
        tags,
        operationId: 'getModelPrices',
        summary: "List a project's own model prices",
        description: 'Oldest first. The built-in price table applies to models none of these match.',
        params: ProjectIdentifierParams,
        response: responses(ModelPricesBody, 404),
      },
    },
    async (request) => {
      const project = await resolveProject(store, request.params.project_identifier);
      return { data: (await listModelPrices(store, project.id)).map(modelPriceData) };
    },
  );

  app.post(
    '/v1/projects/:project_identifier/model_prices',
    {
      schema: {
        tags,
        operationId: 'createModelPrice',
        summary: 'Add a model price to a project',
        description:
          'Spans of the project whose llm.model_name matches the pattern are priced with it (the most specific matching pattern wins; among equals, the newest), before the built-in table.',
        params: ProjectIdentifierParams,
        body: CreateModelPriceBody,
        response: responses(ModelPriceBody, 404),
      },
    },
    async (request) => {
      const body = request.body;
      const problem = patternProblem(body.model_name_pattern);
      if (problem) {
        throw new RequestValidationError([
          {
            loc: ['body', 'model_name_pattern'],
            msg: problem,
            type: 'value_error',
            input: body.model_name_pattern,
          },
        ]);
      }
      const project = await resolveProject(store, request.params.project_identifier);
      const outcome = await commands.modelPrices({
        op: 'create',
        projectId: project.id,
        createdAt: nowMicros(),
        price: {
          modelNamePattern: body.model_name_pattern,
          provider: body.provider?.trim() || null,
          promptCostPerToken: body.prompt_cost_per_token,
          completionCostPerToken: body.completion_cost_per_token,
          cacheReadCostPerToken: body.cache_read_cost_per_token ?? null,
          cacheWriteCostPerToken: body.cache_write_cost_per_token ?? null,
          reasoningCostPerToken: body.reasoning_cost_per_token ?? null,
        },
      });
      if (outcome.status === 'missing') {
        throw new HttpError(404, `Project with identifier ${request.params.project_identifier} not found`);
      }
      // Answered once the project's stored spans carry the new costs (cost/recoster.ts).
      await recosterFor(commands).drain();
      return { data: modelPriceData(outcome.price) };
    },
  );

  app.delete(
    '/v1/projects/:project_identifier/model_prices/:price_id',
    {
      schema: {
        tags,
        operationId: 'deleteModelPrice',
        summary: "Delete one of a project's model prices",
        params: ModelPriceParams,
        response: responses(null, 404),
      },
    },
    async (request, reply) => {
      const { project_identifier, price_id } = request.params;
      const project = await resolveProject(store, project_identifier);
      const rowId = rowIdFromGlobalId(price_id, 'GenerativeModel');
      const notFound = new HttpError(404, `Model price with ID ${price_id} not found`);
      if (rowId === null) throw notFound;
      const outcome = await commands.modelPrices({ op: 'delete', projectId: project.id, id: rowId });
      if (outcome.status === 'missing') throw notFound;
      await recosterFor(commands).drain();
      return reply.code(204).send();
    },
  );
};
