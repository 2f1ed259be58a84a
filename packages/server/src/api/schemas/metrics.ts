import { Type } from 'typebox';
import { METRICS } from '../../store/repositories/metrics.js';
import { BUCKETS } from '../../store/repositories/time-buckets.js';
import { TOP_MODEL_ORDERS } from '../../store/repositories/top-models.js';
import { Data, DateTime, Nullable } from './common.js';

export const MetricsQuery = Type.Object({
  metric: Type.Enum([...METRICS], {
    description:
      'The series to compute: spans (by status), traces (by status), latency (trace p50/p90/p99, ms), tokens (LLM spans: prompt, completion, total), cost (US dollars: prompt, completion, total, at the project’s prices, then the built-in table), errors (LLM and tool span counts and errors), annotations (mean score per span annotation name).',
  }),
  start_time: Type.Optional(
    DateTime('Inclusive lower bound on start time (ISO 8601); default: the project’s first trace'),
  ),
  end_time: Type.Optional(DateTime('Exclusive upper bound on start time (ISO 8601); default: now')),
  bucket: Type.Optional(
    Type.Enum([...BUCKETS], {
      description:
        'Bucket width (UTC; weeks start on Monday). Default: chosen from the range as Phoenix does (the largest unit the range holds more than five of).',
    }),
  ),
});

export const MetricSeriesSchema = Type.Object(
  {
    name: Type.String(),
    values: Type.Array(Nullable(Type.Number()), {
      description: 'One per timestamp; 0 (counts) or null (latency, scores) where the bucket is empty.',
    }),
  },
  { title: 'MetricSeries' },
);

export const MetricsResponse = Data(
  Type.Object({
    metric: Type.String(),
    bucket: Type.String(),
    start_time: Nullable(DateTime()),
    end_time: DateTime(),
    timestamps: Type.Array(DateTime(), { description: 'The start of each bucket, oldest first.' }),
    series: Type.Array(MetricSeriesSchema),
  }),
  'GetProjectMetricsResponseBody',
);

export const TopModelsQuery = Type.Object({
  start_time: Type.Optional(DateTime('Inclusive lower bound on the spans’ start time (ISO 8601)')),
  end_time: Type.Optional(DateTime('Exclusive upper bound on the spans’ start time (ISO 8601)')),
  order_by: Type.Optional(
    Type.Enum([...TOP_MODEL_ORDERS], {
      description: 'cost (default): the costliest first; tokens: the most prompt + completion tokens first',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
});

const Dollars = Nullable(Type.Number({ description: 'US dollars; null when no price matches the model' }));

export const ModelUsageSchema = Type.Object(
  {
    model_name: Type.String({ description: 'llm.model_name, trimmed' }),
    span_count: Type.Integer(),
    prompt_tokens: Type.Integer(),
    completion_tokens: Type.Integer(),
    total_tokens: Type.Integer(),
    prompt_cost: Dollars,
    completion_cost: Dollars,
    total_cost: Dollars,
  },
  { title: 'ModelUsage' },
);

export const TopModelsResponse = Data(
  Type.Object({
    order_by: Type.String(),
    start_time: Nullable(DateTime()),
    end_time: Nullable(DateTime()),
    models: Type.Array(ModelUsageSchema),
  }),
  'GetTopModelsResponseBody',
);
