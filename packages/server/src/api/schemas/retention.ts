import { Type } from 'typebox';
import { Data, DateTime, Nullable } from './common.js';

const MaxAgeDays = Type.Integer({
  minimum: 1,
  maximum: 36_500,
  description: 'Traces that started more than this many days ago are deleted; null: no age limit.',
});
const MaxTraces = Type.Integer({
  minimum: 1,
  maximum: 1_000_000_000,
  description: 'Beyond this many traces, the oldest (by start time) are deleted; null: no count limit.',
});

export const RetentionPolicySchema = Type.Object(
  {
    max_age_days: Nullable(MaxAgeDays),
    max_traces: Nullable(MaxTraces),
    source: Type.Union([Type.Literal('project'), Type.Literal('default')], {
      description:
        "'project': the project's own policy; 'default': the server's (PHOENIX_DEFAULT_RETENTION_POLICY_DAYS, 0 or unset: keep everything).",
    }),
  },
  { title: 'RetentionPolicy' },
);

export const RetentionPolicyBody = Data(RetentionPolicySchema, 'GetRetentionPolicyResponseBody');

export const PutRetentionPolicyBody = Type.Object(
  { max_age_days: Type.Optional(Nullable(MaxAgeDays)), max_traces: Type.Optional(Nullable(MaxTraces)) },
  {
    additionalProperties: false,
    title: 'PutRetentionPolicyRequestBody',
    description: 'Limits left out or null do not apply; with none, the project keeps everything.',
  },
);

export const DeleteTracesOlderThanBody = Type.Object(
  { before: DateTime('Traces that started before this instant are deleted (no offset: UTC).') },
  { additionalProperties: false, title: 'DeleteTracesOlderThanRequestBody' },
);

export const DeletedTracesBody = Data(
  Type.Object({ deleted_traces: Type.Integer({ minimum: 0 }) }, { title: 'DeletedTraces' }),
  'DeleteTracesOlderThanResponseBody',
);
