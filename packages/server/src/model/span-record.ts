import { type LlmCostInputs, llmCostInputsOfSpan } from '../cost/write-time-cost.js';

/**
 * The one shape a span has between ingest and the store: decoded, validated and normalized
 * (OpenInference attributes unflattened), but not yet written. Produced by `ingest/`, consumed by
 * the writers in `store/`.
 */

/** A JSON value as found in span attributes after unflattening. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface SpanEventRecord {
  name: string;
  /** ISO 8601 with explicit UTC offset, microsecond precision, as Phoenix stores it. */
  timestamp: string;
  attributes: JsonObject;
}

export interface SpanRecord {
  /** Project the span goes to: x-project-name header, else resource attribute, else default. */
  projectName: string;
  /** 32 lower-case hex digits. */
  traceId: string;
  /** 16 lower-case hex digits. */
  spanId: string;
  /** 16 lower-case hex digits, or null for a root span. */
  parentId: string | null;
  name: string;
  /** `openinference.span.kind` upper-cased (LLM, CHAIN, TOOL, ...); UNKNOWN when absent. */
  spanKind: string;
  /** Microseconds since the Unix epoch (UTC). */
  startTime: number;
  /** Microseconds since the Unix epoch (UTC); never before startTime. */
  endTime: number;
  statusCode: StatusCode;
  statusMessage: string;
  /** Nested attributes: `llm.token_count.prompt` becomes {llm: {token_count: {prompt: n}}}. */
  attributes: JsonObject;
  events: SpanEventRecord[];
  /** The `session.id` attribute, when present and a non-empty string. */
  sessionId: string | null;
  /** Own (not cumulative) `llm.token_count.prompt`, 0 when absent. */
  llmTokenCountPrompt: number;
  /** Own (not cumulative) `llm.token_count.completion`, 0 when absent. */
  llmTokenCountCompletion: number;
  /**
   * A root span's `input.value` / `output.value`, kept for session rollups (first input, last
   * output); null for other spans.
   */
  inputValue: string | null;
  outputValue: string | null;
  /**
   * The model name, provider and token counts a price applies to (cost/write-time-cost.ts), taken by
   * the decoding thread so that the writer prices the span without reading its attributes; null
   * without a model name. Absent (spans built by hand): the writer takes them from `attributes`.
   */
  llmCost?: LlmCostInputs | null;
}

/**
 * A span whose attributes and events are already serialized as JSON: how spans travel from the
 * decoding thread to the writer thread (cheap to copy between threads, nothing left to serialize on
 * the thread that owns the database).
 */
export interface SerializedSpanRecord extends Omit<SpanRecord, 'attributes' | 'events'> {
  attributesJson: string;
  eventsJson: string;
}

/**
 * How spans travel to the PostgreSQL writer thread: what the writer needs to know of them, and
 * their own columns already rendered as a COPY row (store/postgres/copy-rows.ts).
 */
export interface CopyRowSpanRecord
  extends Omit<SpanRecord, 'attributes' | 'events' | 'name' | 'statusMessage'> {
  /** Its own columns in COPY's binary encoding: a view of a buffer shared by one request's spans. */
  copyRow: Uint8Array;
}

/** What the span writers accept: spans as decoded, or already serialized. */
export type WritableSpanRecord = SpanRecord | SerializedSpanRecord;

/** What the PostgreSQL span writer accepts: those, or spans already rendered as COPY rows. */
export type PostgresWritableSpanRecord = WritableSpanRecord | CopyRowSpanRecord;

/** Field by field: an object rest/spread here cost about as much as serializing the attributes. */
export function serializeSpanRecord(span: SpanRecord): SerializedSpanRecord {
  return {
    projectName: span.projectName,
    traceId: span.traceId,
    spanId: span.spanId,
    parentId: span.parentId,
    name: span.name,
    spanKind: span.spanKind,
    startTime: span.startTime,
    endTime: span.endTime,
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
    sessionId: span.sessionId,
    llmTokenCountPrompt: span.llmTokenCountPrompt,
    llmTokenCountCompletion: span.llmTokenCountCompletion,
    inputValue: span.inputValue,
    outputValue: span.outputValue,
    llmCost: llmCostInputsOfSpan(span),
    attributesJson: JSON.stringify(span.attributes),
    eventsJson: JSON.stringify(span.events),
  };
}

export function attributesJsonOf(span: WritableSpanRecord): string {
  return 'attributesJson' in span ? span.attributesJson : JSON.stringify(span.attributes);
}

export function eventsJsonOf(span: WritableSpanRecord): string {
  return 'eventsJson' in span ? span.eventsJson : JSON.stringify(span.events);
}
