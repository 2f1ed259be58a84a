import { Type } from 'typebox';
import { Data, DateTime, Nullable } from './common.js';

const PerToken = (description: string) => Type.Number({ minimum: 0, description });

export const ModelPriceSchema = Type.Object(
  {
    id: Type.String({ description: 'GlobalID of the price (GenerativeModel)' }),
    model_name_pattern: Type.String(),
    provider: Nullable(Type.String()),
    prompt_cost_per_token: Type.Number(),
    completion_cost_per_token: Type.Number(),
    cache_read_cost_per_token: Nullable(Type.Number()),
    cache_write_cost_per_token: Nullable(Type.Number()),
    reasoning_cost_per_token: Nullable(Type.Number()),
    created_at: DateTime(),
  },
  { title: 'ModelPrice' },
);

export const CreateModelPriceBody = Type.Object(
  {
    model_name_pattern: Type.String({
      minLength: 1,
      description:
        "A regular expression matched case-insensitively against a span's llm.model_name (anchor it with ^ and $ to match whole names), e.g. ^my-model(-\\d{8})?$",
    }),
    provider: Type.Optional(
      Nullable(Type.String({ description: 'Preferred for spans whose llm.provider is this (any case)' })),
    ),
    prompt_cost_per_token: PerToken('US dollars per prompt (input) token'),
    completion_cost_per_token: PerToken('US dollars per completion (output) token'),
    cache_read_cost_per_token: Type.Optional(
      Nullable(PerToken('Per cached prompt token (prompt_details.cache_read); absent: the prompt price')),
    ),
    cache_write_cost_per_token: Type.Optional(
      Nullable(
        PerToken('Per prompt-cache write token (prompt_details.cache_write); absent: the prompt price'),
      ),
    ),
    reasoning_cost_per_token: Type.Optional(
      Nullable(PerToken('Per reasoning token (completion_details.reasoning); absent: the completion price')),
    ),
  },
  { additionalProperties: false, title: 'CreateModelPriceRequestBody' },
);

export const ModelPriceParams = Type.Object({
  project_identifier: Type.String({
    description: 'The project identifier: either project ID or project name.',
  }),
  price_id: Type.String({ description: 'GlobalID of the price' }),
});

export const ModelPricesBody = Data(Type.Array(ModelPriceSchema), 'GetModelPricesResponseBody');
export const ModelPriceBody = Data(ModelPriceSchema, 'GetModelPriceResponseBody');
