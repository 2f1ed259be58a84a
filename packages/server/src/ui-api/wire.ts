/**
 * Shapes of the UI-support endpoints (`/v1/ui/...`): what the web UI reads beyond Phoenix's REST
 * API. Types, and the tables' sort columns as plain constants (no imports), so that packages/ui
 * reads them through `fawkes/ui-wire` and both sides agree. They follow
 * Phoenix's conventions: snake_case fields, GlobalIDs, ISO 8601 instants with a UTC offset, pages as
 * `{ data, next_cursor }`.
 */

export type AnnotatorKind = 'LLM' | 'CODE' | 'HUMAN';
export type AnnotationTargetKind = 'span' | 'trace' | 'session';

export interface UiProjectStats {
  /** GlobalID `Project:<rowid>`. */
  id: string;
  name: string;
  description: string | null;
  trace_count: number;
  span_count: number;
  session_count: number;
  /** Trace latency (root start to last end) percentiles, null without traces. */
  latency_ms_p50: number | null;
  latency_ms_p99: number | null;
  /** Summed over root spans' cumulative counts, so nested LLM calls are counted once. */
  token_count_prompt: number;
  token_count_completion: number;
  token_count_total: number;
  /** End of the latest trace; null without traces. */
  last_activity: string | null;
  created_at: string;
}

export interface UiProjectsResponse {
  data: UiProjectStats[];
}

/** One annotation, whatever it is attached to. */
export interface UiAnnotation {
  /** GlobalID of the annotation (`SpanAnnotation:…`, `TraceAnnotation:…`, `ProjectSessionAnnotation:…`). */
  id: string;
  target_kind: AnnotationTargetKind;
  /** span_id, trace_id or session_id. */
  target: string;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: Record<string, unknown>;
  annotator_kind: AnnotatorKind;
  identifier: string;
  source: 'API' | 'APP';
  created_at: string;
  updated_at: string;
}

/** What a table cell shows of an annotation. */
export interface UiAnnotationChip {
  name: string;
  label: string | null;
  score: number | null;
  annotator_kind: AnnotatorKind;
}

/** The columns the span and trace tables sort by (values, not only a type: the UI offers these). */
export const UI_SPAN_SORTS = [
  'start_time',
  'latency_ms',
  'name',
  'span_kind',
  'status_code',
  'token_count_total',
  'cost_total',
] as const;
export type UiSpanSort = (typeof UI_SPAN_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** A row of the traces (root spans) and spans tables. */
export interface UiSpanRow {
  span_id: string;
  trace_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  status_code: 'OK' | 'ERROR' | 'UNSET';
  status_message: string;
  start_time: string;
  end_time: string;
  latency_ms: number;
  /** Cumulative: the span and its descendants. */
  token_count_prompt: number;
  token_count_completion: number;
  token_count_total: number;
  /**
   * US dollars at the project's prices (its own, then the built-in table): the span's own cost in
   * the spans table, the trace's total in the traces table; null when no price matched.
   */
  cost_prompt: number | null;
  cost_completion: number | null;
  cost_total: number | null;
  /**
   * `llm.model_name`; for a trace (traces table), the distinct models of its spans, in order of
   * first use, joined by ", ".
   */
  model_name: string | null;
  /** The `session.id` of the span's trace. */
  session_id: string | null;
  /** `user.id`. */
  user_id: string | null;
  /**
   * `input.value` / `output.value`, cut to a preview; without them (an LLM span that records
   * only chat messages), its last user message and its first output message.
   */
  input: string | null;
  output: string | null;
  /** Span annotations (and, for root spans, the trace's annotations), notes excluded. */
  annotations: UiAnnotationChip[];
  note_count: number;
}

export interface UiSpanPage {
  data: UiSpanRow[];
  next_cursor: string | null;
}

export interface UiSpanEvent {
  name: string;
  timestamp: string;
  attributes: Record<string, unknown>;
}

/** A span with everything the trace page shows. */
export interface UiSpanDetail {
  span_id: string;
  parent_id: string | null;
  name: string;
  span_kind: string;
  status_code: 'OK' | 'ERROR' | 'UNSET';
  status_message: string;
  start_time: string;
  end_time: string;
  /** Microseconds since the epoch, for the timeline. */
  start_us: number;
  end_us: number;
  latency_ms: number;
  attributes: Record<string, unknown>;
  events: UiSpanEvent[];
  token_count_prompt: number;
  token_count_completion: number;
  cumulative_token_count_prompt: number;
  cumulative_token_count_completion: number;
  cumulative_error_count: number;
}

export interface UiTrace {
  id: string;
  trace_id: string;
  project_id: string;
  project_name: string;
  session_id: string | null;
  start_time: string;
  end_time: string;
  start_us: number;
  end_us: number;
  latency_ms: number;
  /** Spans in start order; at most `span_limit` of them. */
  spans: UiSpanDetail[];
  span_count: number;
  truncated: boolean;
  trace_annotations: UiAnnotation[];
  span_annotations: UiAnnotation[];
}

/** The columns the sessions table sorts by. */
export const UI_SESSION_SORTS = [
  'start_time',
  'end_time',
  'num_traces',
  'token_count_total',
  'cost_total',
] as const;
export type UiSessionSort = (typeof UI_SESSION_SORTS)[number];

export interface UiSessionRow {
  id: string;
  session_id: string;
  project_id: string;
  start_time: string;
  end_time: string;
  num_traces: number;
  token_count_prompt: number;
  token_count_completion: number;
  token_count_total: number;
  /** US dollars over every span of its traces; null when no price matched any. */
  cost_prompt: number | null;
  cost_completion: number | null;
  cost_total: number | null;
  error_count: number;
  /** Median and p99 of its traces' latencies. */
  latency_ms_p50: number | null;
  latency_ms_p99: number | null;
  first_input: string | null;
  last_output: string | null;
  annotations: UiAnnotationChip[];
}

export interface UiSessionPage {
  data: UiSessionRow[];
  next_cursor: string | null;
}

/** One trace of a session, as a conversation turn: its root span's input and output. */
export interface UiSessionTurn {
  trace_id: string;
  start_time: string;
  end_time: string;
  latency_ms: number;
  root_span_id: string | null;
  root_name: string | null;
  status_code: 'OK' | 'ERROR' | 'UNSET' | null;
  input: string | null;
  input_mime_type: string | null;
  output: string | null;
  output_mime_type: string | null;
  user_id: string | null;
  token_count_prompt: number;
  token_count_completion: number;
  token_count_total: number;
  /** US dollars over the trace's spans; null when no price matched any. */
  cost_prompt: number | null;
  cost_completion: number | null;
  cost_total: number | null;
  annotations: UiAnnotationChip[];
}

export interface UiSession extends Omit<UiSessionRow, 'annotations'> {
  project_name: string;
  turns: UiSessionTurn[];
  /** True when the session has more traces than the turns listed. */
  truncated: boolean;
  annotations: UiAnnotation[];
}

export interface UiAnnotationList {
  data: UiAnnotation[];
}

/**
 * The live feed (`GET /v1/ui/live`, server-sent events named `change`): what changed since the
 * previous event. Clients refetch what they show of these projects.
 */
export interface UiLiveChange {
  /** GlobalIDs and names of the projects that received spans. */
  projects: { id: string; name: string }[];
  /** New traces / sessions (counts since the previous event). */
  new_traces: number;
  new_sessions: number;
  new_spans: number;
  /** Projects created or deleted, annotations written: lists should refresh. */
  structure_changed: boolean;
}
export type * from './filter-vocabulary-wire.js';
