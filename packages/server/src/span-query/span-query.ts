import {
  type FilterExpression,
  parse,
  parseFilter,
  QueryError,
  resolveSpanField,
  type SpanField,
} from '@fawkes/query';

/**
 * Phoenix's SpanQuery as its Python client sends it (`SpanQuery.to_dict()`), e.g.
 * `{ select: { input: { key: 'input.value' } }, filter: { condition: "span_kind == 'LLM'" } }`.
 */
export interface SpanQuery {
  /** Output column → what it shows (a span field or an attribute path). */
  readonly select?: Readonly<Record<string, { readonly key: string }>> | null;
  readonly filter?: { readonly condition?: string | null } | null;
  /** One row per object of the list at `key` (e.g. `retrieval.documents`); `kwargs`: column → key. */
  readonly explode?: {
    readonly key: string;
    readonly kwargs?: Readonly<Record<string, string>> | null;
    readonly primary_index_key?: string | null;
  } | null;
  /** The list at `key` joined into one string per span (`kwargs`: column → key in each object). */
  readonly concat?: {
    readonly key: string;
    readonly kwargs?: Readonly<Record<string, string>> | null;
    readonly separator?: string | null;
  } | null;
  /** Column renames, applied last. */
  readonly rename?: Readonly<Record<string, string>> | null;
  /** The index column (default `context.span_id`). */
  readonly index?: { readonly key?: string | null } | null;
}

/** A SpanQuery that cannot run: a bad projection or filter (HTTP 422). */
export class SpanQueryError extends Error {
  constructor(
    message: string,
    /** The filter's error, with its position, when the filter is what is wrong. */
    readonly queryError?: QueryError,
  ) {
    super(message);
    this.name = 'SpanQueryError';
  }
}

/** What a projection key reads from a span. */
export type Projection =
  | { readonly kind: 'field'; readonly field: SpanField }
  | { readonly kind: 'attributes' }
  | { readonly kind: 'events' }
  | { readonly kind: 'attribute'; readonly path: readonly (string | number)[] };

/** Phoenix's short names for the two id columns. */
const KEY_ALIASES: Readonly<Record<string, string>> = {
  span_id: 'context.span_id',
  trace_id: 'context.trace_id',
};

export function unaliasKey(key: string): string {
  return KEY_ALIASES[key] ?? key;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Resolves a projection key as Phoenix does: a span field (`name`, `latency_ms`, `context.span_id`,
 * `cumulative_token_count.total`...), `attributes`, `events`, or an attribute path written as in
 * filters (`input.value`, `metadata['user.id']`, `attributes['llm']['model_name']`). A bare name that
 * is none of these is a one-key attribute, as in Phoenix.
 */
export function resolveProjection(rawKey: string): Projection {
  const key = unaliasKey(rawKey.trim());
  if (key === 'attributes') return { kind: 'attributes' };
  if (key === 'events') return { kind: 'events' };
  const field = resolveSpanField(key);
  if (field) return { kind: 'field', field };
  if (IDENTIFIER.test(key)) return { kind: 'attribute', path: [key] };
  try {
    parse(key);
    const condition = parseFilter(`${key} is None`).condition;
    if (condition.kind === 'isNull') {
      const operand = condition.operand;
      if (operand.kind === 'attribute') return { kind: 'attribute', path: operand.path };
      if (operand.kind === 'field') return { kind: 'field', field: operand.field };
    }
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    throw new SpanQueryError(`Invalid projection '${rawKey}': ${error.message}`);
  }
  throw new SpanQueryError(`Invalid projection '${rawKey}': expected a span field or an attribute`);
}

/** The query's filter, parsed and checked; undefined when it has none. */
export function spanQueryFilter(
  condition: string | FilterExpression | null | undefined,
): FilterExpression | undefined {
  if (condition === null || condition === undefined) return undefined;
  if (typeof condition !== 'string') return condition;
  if (condition.trim() === '') return undefined;
  try {
    return parseFilter(condition);
  } catch (error) {
    if (error instanceof QueryError) throw new SpanQueryError(`Invalid filter: ${error.message}`, error);
    throw error;
  }
}
