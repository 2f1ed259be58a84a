/**
 * The names a filter may use: span fields (typed), annotation accessors and the roots that lead into
 * span attributes. Everything else that is dotted (`llm.model_name`) is an attribute path.
 */

/** Static types of the checker. `dynamic` is an attribute whose type is only known per span. */
export type ValueType = 'string' | 'number' | 'boolean' | 'datetime' | 'dynamic';

/** Span columns (not attributes), with their types. */
export const SPAN_FIELDS = {
  name: 'string',
  span_kind: 'string',
  status_code: 'string',
  status_message: 'string',
  parent_id: 'string',
  span_id: 'string',
  trace_id: 'string',
  latency_ms: 'number',
  start_time: 'datetime',
  end_time: 'datetime',
  'cumulative_token_count.prompt': 'number',
  'cumulative_token_count.completion': 'number',
  'cumulative_token_count.total': 'number',
  /** US dollars, computed from the span's token counts and its model's prices (null: no price). */
  'cost.total': 'number',
  'cost.prompt': 'number',
  'cost.completion': 'number',
} as const satisfies Record<string, ValueType>;

export type SpanField = keyof typeof SPAN_FIELDS;

export const SPAN_FIELD_NAMES = Object.keys(SPAN_FIELDS) as readonly SpanField[];

/** Other spellings accepted for span fields (Phoenix column names and data-frame names). */
export const SPAN_FIELD_ALIASES: Readonly<Record<string, SpanField>> = {
  'context.span_id': 'span_id',
  'context.trace_id': 'trace_id',
  cumulative_llm_token_count_prompt: 'cumulative_token_count.prompt',
  cumulative_llm_token_count_completion: 'cumulative_token_count.completion',
  cumulative_llm_token_count_total: 'cumulative_token_count.total',
  cumulative_token_count_prompt: 'cumulative_token_count.prompt',
  cumulative_token_count_completion: 'cumulative_token_count.completion',
  cumulative_token_count_total: 'cumulative_token_count.total',
  'cumulative_llm_token_count.prompt': 'cumulative_token_count.prompt',
  'cumulative_llm_token_count.completion': 'cumulative_token_count.completion',
  'cumulative_llm_token_count.total': 'cumulative_token_count.total',
};

/** Roots whose members are span fields rather than attributes (`context.span_id`). */
export const FIELD_NAMESPACES: ReadonlySet<string> = new Set([
  'cumulative_token_count',
  'cumulative_llm_token_count',
  'context',
  'cost',
]);

export function resolveSpanField(dotted: string): SpanField | undefined {
  if (Object.hasOwn(SPAN_FIELDS, dotted)) return dotted as SpanField;
  return Object.hasOwn(SPAN_FIELD_ALIASES, dotted) ? SPAN_FIELD_ALIASES[dotted] : undefined;
}

/** Annotation accessors: `annotations['x']`, its older alias `evals['x']`, and `trace_annotations['x']`. */
export const ANNOTATION_ROOTS = {
  annotations: 'span',
  evals: 'span',
  trace_annotations: 'trace',
} as const;

export type AnnotationScope = (typeof ANNOTATION_ROOTS)[keyof typeof ANNOTATION_ROOTS];

export const ANNOTATION_FIELDS = { label: 'string', score: 'number', explanation: 'string' } as const;

export type AnnotationField = keyof typeof ANNOTATION_FIELDS;

export const ANNOTATION_FIELD_NAMES = Object.keys(ANNOTATION_FIELDS) as readonly AnnotationField[];

/** `attributes[...]` / `attributes.x` leads into the span's attributes. */
export const ATTRIBUTES_ROOT = 'attributes';

/** `metadata[...]` is `attributes.metadata...`; its keys are taken literally (never split on dots). */
export const METADATA_ROOT = 'metadata';

/** Values Phoenix stores in `span_kind` (OpenInference span kinds). */
export const SPAN_KINDS = [
  'LLM',
  'CHAIN',
  'TOOL',
  'RETRIEVER',
  'RERANKER',
  'EMBEDDING',
  'AGENT',
  'GUARDRAIL',
  'EVALUATOR',
  'PROMPT',
  'UNKNOWN',
] as const;

/** Values Phoenix stores in `status_code`. */
export const STATUS_CODES = ['OK', 'ERROR', 'UNSET'] as const;

/** Fields whose values come from a closed set: literals compared with them are checked. */
export const ENUM_FIELDS: Partial<Record<SpanField, readonly string[]>> = {
  span_kind: SPAN_KINDS,
  status_code: STATUS_CODES,
};

/** Every bare name the checker accepts (used for "Did you mean ...?"). */
export const KNOWN_BARE_NAMES: readonly string[] = [
  ...SPAN_FIELD_NAMES.filter((n) => !n.includes('.')),
  ...Object.keys(SPAN_FIELD_ALIASES).filter((n) => !n.includes('.')),
  ...Object.keys(ANNOTATION_ROOTS),
  ATTRIBUTES_ROOT,
  METADATA_ROOT,
  'True',
  'False',
  'None',
];

/**
 * Roots with a special meaning. A root with accessors that is close to one of these but not equal
 * (`anotations['x'].label`, `Metadata['k']`) is reported as a typo rather than read as an attribute path.
 */
export const SPECIAL_ROOTS: readonly string[] = [
  'annotations',
  'evals',
  'trace_annotations',
  ATTRIBUTES_ROOT,
  METADATA_ROOT,
  'cumulative_token_count',
  'cumulative_llm_token_count',
  'cost',
];

/**
 * Dotted names a user is likely to mean (for suggestions only; any dotted path is accepted as an
 * attribute). From the OpenInference semantic conventions.
 */
export const WELL_KNOWN_PATHS: readonly string[] = [
  ...SPAN_FIELD_NAMES.filter((n) => n.includes('.')),
  'context.span_id',
  'context.trace_id',
];
