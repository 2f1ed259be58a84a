import { IngestPricer, llmCostInputsOfSpan } from '../../cost/write-time-cost.js';
import {
  attributesJsonOf,
  eventsJsonOf,
  type WritableSpanRecord as SpanRecord,
} from '../../model/span-record.js';
import { ancestorDeltas, type Counts, cumulativeCounts } from '../cumulative-counts.js';
import { type ModelPriceRecord, toPriceRule } from '../repositories/model-prices.js';
import type { SqliteConnection } from './open.js';

export interface BatchResult {
  /** Spans stored by this batch. */
  inserted: number;
  /** Spans whose span_id was already stored (an exporter's retry): ignored. */
  duplicates: number;
}

interface TraceState {
  id: number;
  /** Stored before the request being written (so it may hold spans already). */
  stored: boolean;
  projectId: number;
  sessionRowId: number | null;
  startTime: number;
  endTime: number;
  dirty: boolean;
}

interface SessionDelta {
  traces: number;
  prompt: number;
  completion: number;
  errors: number;
  startTime: number;
  endTime: number;
  firstInput?: { value: string; time: number };
  lastOutput?: { value: string; time: number };
}

/**
 * Writes batches of spans into SQLite, one transaction per batch, keeping every derived value right
 * whatever order spans arrive in:
 * - traces and sessions are created on first sight, their start/end widen as spans arrive;
 * - a span's cumulative error and token counts include its stored descendants, and are added to its
 *   stored ancestors (so children-first and parents-first arrival give the same numbers);
 * - session rollups (traces, tokens of LLM spans, error spans, first input, last output) are kept
 *   at write time, including when a trace joins a session after some of its spans were stored.
 *
 * Synchronous on purpose: it runs on the writer thread, which owns all writes to the file.
 */
export class SqliteSpanWriter {
  private readonly stmt;
  private readonly pricer: IngestPricer;
  private readonly writeInTransaction: (groups: readonly (readonly SpanRecord[])[]) => BatchResult[];

  constructor(
    db: SqliteConnection,
    private readonly nowMicros: () => number = () => Date.now() * 1000,
  ) {
    this.stmt = {
      selectProject: db.prepare<[string], { id: number }>('SELECT id FROM projects WHERE name = ?'),
      insertProject: db.prepare<[string, number, number]>(
        'INSERT INTO projects (name, description, created_at, updated_at) VALUES (?, NULL, ?, ?) ON CONFLICT (name) DO NOTHING',
      ),
      selectSession: db.prepare<[string], { id: number }>(
        'SELECT id FROM project_sessions WHERE session_id = ?',
      ),
      insertSession: db.prepare<[string, number, number, number]>(
        'INSERT INTO project_sessions (session_id, project_id, start_time, end_time) VALUES (?, ?, ?, ?)',
      ),
      selectTrace: db.prepare<
        [string],
        {
          id: number;
          project_id: number;
          project_session_id: number | null;
          start_time: number;
          end_time: number;
        }
      >('SELECT id, project_id, project_session_id, start_time, end_time FROM traces WHERE trace_id = ?'),
      insertTrace: db.prepare<[number, string, number | null, number, number]>(
        'INSERT INTO traces (project_id, trace_id, project_session_id, start_time, end_time) VALUES (?, ?, ?, ?, ?)',
      ),
      updateTrace: db.prepare<[number, number, number | null, number]>(
        'UPDATE traces SET start_time = ?, end_time = ?, project_session_id = ? WHERE id = ?',
      ),
      // Set-based lookups for a whole request: one JSON array parameter, one statement.
      storedSpanIds: db.prepare<[string], { span_id: string }>(
        'SELECT span_id FROM spans WHERE span_id IN (SELECT value FROM json_each(?))',
      ),
      // A span's children are in its trace: [trace row id, span id] pairs, one probe of
      // ix_spans_trace_parent each.
      storedChildTotals: db.prepare<[string], Counts & { parent_id: string }>(
        `SELECT s.parent_id,
                sum(s.cumulative_error_count) AS errors,
                sum(s.cumulative_llm_token_count_prompt) AS prompt,
                sum(s.cumulative_llm_token_count_completion) AS completion
         FROM json_each(?) AS j
         JOIN spans AS s ON s.trace_rowid = j.value ->> 0 AND s.parent_id = j.value ->> 1
         GROUP BY s.parent_id`,
      ),
      insertSpan: db.prepare<
        [
          number,
          string,
          string | null,
          string,
          string,
          number,
          number,
          string,
          string,
          string,
          string,
          number,
          number,
          number,
          number,
          number,
          number | null,
          number | null,
          number | null,
        ]
      >(
        `INSERT INTO spans (trace_rowid, span_id, parent_id, name, span_kind, start_time, end_time, attributes,
           events, status_code, status_message, cumulative_error_count, cumulative_llm_token_count_prompt,
           cumulative_llm_token_count_completion, llm_token_count_prompt, llm_token_count_completion,
           cost_prompt, cost_completion, cost_total)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      addToAncestors: db.prepare(
        // UNION (not UNION ALL) drops rows already seen, so a parent_id cycle in bad data ends the walk.
        `WITH RECURSIVE ancestors (span_id, parent_id) AS (
           SELECT span_id, parent_id FROM spans WHERE span_id = @parentId
           UNION
           SELECT s.span_id, s.parent_id FROM spans s JOIN ancestors a ON s.span_id = a.parent_id
         )
         UPDATE spans SET
           cumulative_error_count = cumulative_error_count + @errors,
           cumulative_llm_token_count_prompt = cumulative_llm_token_count_prompt + @prompt,
           cumulative_llm_token_count_completion = cumulative_llm_token_count_completion + @completion
         WHERE span_id IN (SELECT span_id FROM ancestors)`,
      ),
      traceTotalsForSession: db.prepare<[number], { prompt: number; completion: number; errors: number }>(
        `SELECT coalesce(sum(CASE WHEN span_kind = 'LLM' THEN llm_token_count_prompt END), 0) AS prompt,
                coalesce(sum(CASE WHEN span_kind = 'LLM' THEN llm_token_count_completion END), 0) AS completion,
                coalesce(sum(CASE WHEN status_code = 'ERROR' THEN 1 END), 0) AS errors
         FROM spans WHERE trace_rowid = ?`,
      ),
      traceRootIo: db.prepare<[number], { start_time: number; input: unknown; output: unknown }>(
        `SELECT start_time, json_extract(attributes, '$.input.value') AS input,
                json_extract(attributes, '$.output.value') AS output
         FROM spans WHERE trace_rowid = ? AND parent_id IS NULL ORDER BY start_time LIMIT 1`,
      ),
      updateSession: db.prepare(
        `UPDATE project_sessions SET
           num_traces = num_traces + @traces,
           token_count_prompt = token_count_prompt + @prompt,
           token_count_completion = token_count_completion + @completion,
           error_count = error_count + @errors,
           start_time = min(start_time, @startTime),
           end_time = max(end_time, @endTime)
         WHERE id = @id`,
      ),
      setFirstInput: db.prepare<[string, number, number, number]>(
        `UPDATE project_sessions SET first_input = ?, first_input_time = ?
         WHERE id = ? AND (first_input_time IS NULL OR first_input_time > ?)`,
      ),
      setLastOutput: db.prepare<[string, number, number, number]>(
        `UPDATE project_sessions SET last_output = ?, last_output_time = ?
         WHERE id = ? AND (last_output_time IS NULL OR last_output_time <= ?)`,
      ),
    };
    const pricesVersion = db.prepare<[], { n: number; m: number }>(
      'SELECT count(*) AS n, coalesce(max(id), 0) AS m FROM model_prices',
    );
    const projectPrices = db.prepare<[number], ModelPriceRecord>(
      'SELECT * FROM model_prices WHERE project_id = ?',
    );
    this.pricer = new IngestPricer((projectId) => projectPrices.all(projectId).map(toPriceRule));
    this.writeInTransaction = db.transaction((groups: readonly (readonly SpanRecord[])[]) => {
      // The prices in force for this transaction (cost/write-time-cost.ts): one probe of an index.
      const version = pricesVersion.get()!;
      this.pricer.refresh(`${version.n}:${version.m}`);
      return groups.map((spans) => this.write(spans));
    });
  }

  /** Stores the batch atomically: all of it or (on any error) none of it. */
  writeBatch(spans: readonly SpanRecord[]): BatchResult {
    return this.writeInTransaction([spans])[0]!;
  }

  /** Stores several requests' spans in one transaction (group commit); a result per request. */
  writeBatches(groups: readonly (readonly SpanRecord[])[]): BatchResult[] {
    return this.writeInTransaction(groups);
  }

  private write(spans: readonly SpanRecord[]): BatchResult {
    const projects = new Map<string, number>();
    const traces = new Map<string, TraceState>();
    const sessions = new Map<number, SessionDelta>();

    const fresh = this.freshSpans(spans);
    const duplicates = spans.length - fresh.length;
    const traceOf = fresh.map((span) => {
      let projectId = projects.get(span.projectName);
      if (projectId === undefined) {
        projectId = this.projectId(span.projectName);
        projects.set(span.projectName, projectId);
      }
      return this.traceFor(span, projectId, traces, sessions);
    });
    const counts = this.cumulativeCounts(fresh, traceOf);
    for (const [i, span] of fresh.entries()) {
      const trace = traceOf[i]!;
      this.insertSpan(span, trace.id, counts.get(span.spanId)!, trace.projectId);
      // Spans stored before this request were counted when the trace joined its session.
      if (trace.sessionRowId !== null) {
        const delta = sessionDelta(sessions, trace.sessionRowId, trace);
        addSpanToSession(delta, span);
      }
    }
    for (const [parentId, { errors, prompt, completion }] of ancestorDeltas(fresh, counts)) {
      this.stmt.addToAncestors.run({ parentId, errors, prompt, completion });
    }

    for (const trace of traces.values()) {
      if (trace.dirty)
        this.stmt.updateTrace.run(trace.startTime, trace.endTime, trace.sessionRowId, trace.id);
      if (trace.sessionRowId !== null) {
        const delta = sessions.get(trace.sessionRowId);
        if (delta) {
          delta.startTime = Math.min(delta.startTime, trace.startTime);
          delta.endTime = Math.max(delta.endTime, trace.endTime);
        }
      }
    }
    for (const [id, delta] of sessions) {
      const { traces, prompt, completion, errors, startTime, endTime } = delta;
      this.stmt.updateSession.run({ id, traces, prompt, completion, errors, startTime, endTime });
      if (delta.firstInput) {
        this.stmt.setFirstInput.run(delta.firstInput.value, delta.firstInput.time, id, delta.firstInput.time);
      }
      if (delta.lastOutput) {
        this.stmt.setLastOutput.run(delta.lastOutput.value, delta.lastOutput.time, id, delta.lastOutput.time);
      }
    }
    return { inserted: fresh.length, duplicates };
  }

  /** The spans not stored yet, each once (an exporter's retry may resend a whole request). */
  private freshSpans(spans: readonly SpanRecord[]): SpanRecord[] {
    const seen = new Set<string>();
    for (const row of this.stmt.storedSpanIds.all(JSON.stringify(spans.map((s) => s.spanId)))) {
      seen.add(row.span_id);
    }
    const fresh: SpanRecord[] = [];
    for (const span of spans) {
      if (seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      fresh.push(span);
    }
    return fresh;
  }

  /**
   * Cumulative counts of a request's spans, with the totals of their children stored earlier
   * (only a trace stored before this request can hold such children).
   */
  private cumulativeCounts(
    spans: readonly SpanRecord[],
    traceOf: readonly TraceState[],
  ): Map<string, Counts> {
    const stored = new Map<string, Counts>();
    const probes = spans.flatMap((span, i) => (traceOf[i]!.stored ? [[traceOf[i]!.id, span.spanId]] : []));
    if (probes.length > 0) {
      for (const row of this.stmt.storedChildTotals.all(JSON.stringify(probes)))
        stored.set(row.parent_id, row);
    }
    return cumulativeCounts(spans, stored);
  }

  private projectId(name: string): number {
    const now = this.nowMicros();
    this.stmt.insertProject.run(name, now, now);
    return this.stmt.selectProject.get(name)!.id;
  }

  private sessionRowId(sessionId: string, projectId: number, startTime: number, endTime: number): number {
    const existing = this.stmt.selectSession.get(sessionId);
    if (existing) return existing.id;
    return Number(this.stmt.insertSession.run(sessionId, projectId, startTime, endTime).lastInsertRowid);
  }

  private traceFor(
    span: SpanRecord,
    projectId: number,
    traces: Map<string, TraceState>,
    sessions: Map<number, SessionDelta>,
  ): TraceState {
    let trace = traces.get(span.traceId);
    if (!trace) {
      const row = this.stmt.selectTrace.get(span.traceId);
      if (row) {
        trace = {
          id: row.id,
          stored: true,
          projectId: row.project_id,
          sessionRowId: row.project_session_id,
          startTime: row.start_time,
          endTime: row.end_time,
          dirty: false,
        };
      } else {
        const sessionRowId = span.sessionId
          ? this.sessionRowId(span.sessionId, projectId, span.startTime, span.endTime)
          : null;
        const info = this.stmt.insertTrace.run(
          projectId,
          span.traceId,
          sessionRowId,
          span.startTime,
          span.endTime,
        );
        trace = {
          id: Number(info.lastInsertRowid),
          stored: false,
          projectId,
          sessionRowId,
          startTime: span.startTime,
          endTime: span.endTime,
          dirty: false,
        };
        if (sessionRowId !== null) sessionDelta(sessions, sessionRowId, trace).traces++;
      }
      traces.set(span.traceId, trace);
    }
    if (span.startTime < trace.startTime) {
      trace.startTime = span.startTime;
      trace.dirty = true;
    }
    if (span.endTime > trace.endTime) {
      trace.endTime = span.endTime;
      trace.dirty = true;
    }
    if (span.sessionId && trace.sessionRowId === null) this.joinSession(trace, span.sessionId, sessions);
    return trace;
  }

  /** A stored trace gains its session late: the spans it already has now count for the session. */
  private joinSession(trace: TraceState, sessionId: string, sessions: Map<number, SessionDelta>): void {
    trace.sessionRowId = this.sessionRowId(sessionId, trace.projectId, trace.startTime, trace.endTime);
    trace.dirty = true;
    const delta = sessionDelta(sessions, trace.sessionRowId, trace);
    delta.traces++;
    const totals = this.stmt.traceTotalsForSession.get(trace.id)!;
    delta.prompt += totals.prompt;
    delta.completion += totals.completion;
    delta.errors += totals.errors;
    const root = this.stmt.traceRootIo.get(trace.id);
    if (root) {
      offerFirstInput(delta, root.input, root.start_time);
      offerLastOutput(delta, root.output, root.start_time);
    }
  }

  private insertSpan(span: SpanRecord, traceRowId: number, counts: Counts, projectId: number): void {
    const [costPrompt, costCompletion, costTotal] = this.pricer.costOf(projectId, llmCostInputsOfSpan(span));
    this.stmt.insertSpan.run(
      traceRowId,
      span.spanId,
      span.parentId,
      span.name,
      span.spanKind,
      span.startTime,
      span.endTime,
      attributesJsonOf(span),
      eventsJsonOf(span),
      span.statusCode,
      span.statusMessage,
      counts.errors,
      counts.prompt,
      counts.completion,
      span.llmTokenCountPrompt,
      span.llmTokenCountCompletion,
      costPrompt,
      costCompletion,
      costTotal,
    );
  }
}

function sessionDelta(sessions: Map<number, SessionDelta>, id: number, trace: TraceState): SessionDelta {
  let delta = sessions.get(id);
  if (!delta) {
    delta = {
      traces: 0,
      prompt: 0,
      completion: 0,
      errors: 0,
      startTime: trace.startTime,
      endTime: trace.endTime,
    };
    sessions.set(id, delta);
  }
  return delta;
}

function addSpanToSession(delta: SessionDelta, span: SpanRecord): void {
  if (span.spanKind === 'LLM') {
    delta.prompt += span.llmTokenCountPrompt;
    delta.completion += span.llmTokenCountCompletion;
  }
  if (span.statusCode === 'ERROR') delta.errors++;
  if (span.parentId === null) {
    offerFirstInput(delta, span.inputValue, span.startTime);
    offerLastOutput(delta, span.outputValue, span.startTime);
  }
}

function offerFirstInput(delta: SessionDelta, value: unknown, time: number): void {
  if (typeof value !== 'string') return;
  if (!delta.firstInput || time < delta.firstInput.time) delta.firstInput = { value, time };
}

function offerLastOutput(delta: SessionDelta, value: unknown, time: number): void {
  if (typeof value !== 'string') return;
  if (!delta.lastOutput || time >= delta.lastOutput.time) delta.lastOutput = { value, time };
}
