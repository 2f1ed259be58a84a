import type { SpanField } from '@fawkes/query';
import { ruleFor, rulePasses } from '../cost/price-rules.js';
import { costOf, modelOf, tokenCountsOf } from '../cost/span-cost.js';
import { isoFromMicros } from '../ingest/normalize.js';
import type { Projection } from './span-query.js';

/** A span row as the span queries read it (spans joined to traces), JSON decoded. */
export interface StoredSpan {
  /** spans.id, the row id. */
  readonly rowId: number;
  readonly spanId: string;
  readonly traceId: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly spanKind: string;
  /** Microseconds since the epoch. */
  readonly startTime: number;
  readonly endTime: number;
  readonly statusCode: string;
  readonly statusMessage: string;
  readonly attributes: Record<string, unknown>;
  readonly events: unknown[];
  readonly cumulativePrompt: number;
  readonly cumulativeCompletion: number;
}

/** The columns a span query selects (see {@link decodeStoredSpan}). */
export const STORED_SPAN_COLUMNS = [
  'spans.id',
  'spans.span_id',
  'traces.trace_id',
  'spans.parent_id',
  'spans.name',
  'spans.span_kind',
  'spans.start_time',
  'spans.end_time',
  'spans.status_code',
  'spans.status_message',
  'spans.attributes',
  'spans.events',
  'spans.cumulative_llm_token_count_prompt',
  'spans.cumulative_llm_token_count_completion',
] as const;

export interface StoredSpanRow {
  id: number | string;
  span_id: string;
  trace_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  start_time: number | string;
  end_time: number | string;
  status_code: string;
  status_message: string;
  attributes: unknown;
  events: unknown;
  cumulative_llm_token_count_prompt: number | string;
  cumulative_llm_token_count_completion: number | string;
}

// JSON columns arrive as text from SQLite (and from our PostgreSQL pool), as objects from a plain pg pool.
const json = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

export function decodeStoredSpan(row: StoredSpanRow): StoredSpan {
  const attributes = json(row.attributes);
  const events = json(row.events);
  return {
    rowId: Number(row.id),
    spanId: row.span_id,
    traceId: row.trace_id,
    parentId: row.parent_id,
    name: row.name,
    spanKind: row.span_kind,
    startTime: Number(row.start_time),
    endTime: Number(row.end_time),
    statusCode: row.status_code,
    statusMessage: row.status_message,
    attributes:
      attributes !== null && typeof attributes === 'object' ? (attributes as Record<string, unknown>) : {},
    events: Array.isArray(events) ? events : [],
    cumulativePrompt: Number(row.cumulative_llm_token_count_prompt),
    cumulativeCompletion: Number(row.cumulative_llm_token_count_completion),
  };
}

/** A span field's value as span queries return it (instants as ISO 8601 with a UTC offset). */
export function fieldValue(span: StoredSpan, field: SpanField): string | number | null {
  switch (field) {
    case 'name':
      return span.name;
    case 'span_kind':
      return span.spanKind;
    case 'status_code':
      return span.statusCode;
    case 'status_message':
      return span.statusMessage;
    case 'parent_id':
      return span.parentId;
    case 'span_id':
      return span.spanId;
    case 'trace_id':
      return span.traceId;
    case 'latency_ms':
      return (span.endTime - span.startTime) / 1000;
    case 'start_time':
      return isoFromMicros(span.startTime);
    case 'end_time':
      return isoFromMicros(span.endTime);
    case 'cumulative_token_count.prompt':
      return span.cumulativePrompt;
    case 'cumulative_token_count.completion':
      return span.cumulativeCompletion;
    case 'cumulative_token_count.total':
      return span.cumulativePrompt + span.cumulativeCompletion;
    case 'cost.total':
    case 'cost.prompt':
    case 'cost.completion':
      return builtinCost(span, field);
  }
}

const BUILTIN_PASSES = rulePasses([]);

/** A span's cost at the built-in table's prices (span queries select it without a project's own prices). */
function builtinCost(
  span: StoredSpan,
  field: 'cost.total' | 'cost.prompt' | 'cost.completion',
): number | null {
  const { modelName, provider } = modelOf(span.attributes);
  const rule = ruleFor(BUILTIN_PASSES, modelName, provider);
  if (!rule) return null;
  const cost = costOf(rule.prices, tokenCountsOf(span.attributes));
  return field === 'cost.total' ? cost.total : field === 'cost.prompt' ? cost.prompt : cost.completion;
}

/** The value at `path` in a JSON value (keys only in objects, indices only in arrays), or null. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return null;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return null;
      current = current[step];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, step)) return null;
      current = (current as Record<string, unknown>)[step];
    }
    if (current === undefined) return null;
  }
  return current;
}

export function projectedValue(span: StoredSpan, projection: Projection): unknown {
  switch (projection.kind) {
    case 'field':
      return fieldValue(span, projection.field);
    case 'attributes':
      return span.attributes;
    case 'events':
      return span.events;
    case 'attribute':
      return valueAt(span.attributes, projection.path);
  }
}
