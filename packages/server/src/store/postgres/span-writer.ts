import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IngestPricer, llmCostInputsOfSpan } from '../../cost/write-time-cost.js';
import type { PostgresWritableSpanRecord as SpanRecord } from '../../model/span-record.js';
import { ancestorDeltas, type Counts, cumulativeCounts } from '../cumulative-counts.js';
import { type ModelPriceRecord, toModelPriceRecord, toPriceRule } from '../repositories/model-prices.js';
import type { BatchResult } from '../sqlite/span-writer.js';
import { copyData, SPAN_COPY_COLUMNS, spanCopyRowBytes } from './copy-rows.js';
import { pgText } from './pg-text.js';
import { inTransaction } from './transaction.js';

export type { BatchResult } from '../sqlite/span-writer.js';

interface TraceRow {
  id: number;
  projectId: number;
  sessionRowId: number | null;
  /** After this request widened it. */
  startTime: number;
  endTime: number;
  /** Created by this request. */
  inserted: boolean;
  /** The session id its spans carry (the first one), whether or not the trace had one already. */
  carriedSession: string | null;
}

/** What a request says of one of its traces. */
interface NewTrace {
  project: string;
  start: number;
  end: number;
  /** The first session id its spans carry. */
  session: string | null;
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
 * Writes batches of spans into PostgreSQL with the same contract and results as SqliteSpanWriter,
 * while other servers write into the same database at the same time:
 * - set-based statements: one multi-row statement per table and step, whatever the batch size;
 * - rows are locked in one fixed order by every writer: project names, then traces (by trace_id,
 *   through the trace upsert), then session ids (inserts), then session rows (by id). A span's
 *   ancestors and descendants belong to its trace, so holding the trace rows serializes exactly the
 *   writers whose cumulative counts could interfere, and nobody waits in a cycle;
 * - should PostgreSQL still abort the transaction (a deadlock with a REST delete, say), the whole
 *   batch is retried.
 */
export class PostgresSpanWriter {
  /** Transactions retried after a deadlock or a conflict with another writer. */
  retries = 0;
  /** The prices in force (cost/write-time-cost.ts); rules are loaded before each COPY. */
  private readonly pricer = new IngestPricer(() => []);

  constructor(
    private readonly pool: pg.Pool,
    private readonly nowMicros: () => number = () => Date.now() * 1000,
  ) {}

  /** Stores the batch atomically: all of it or (on any error) none of it. */
  async writeBatch(spans: readonly SpanRecord[]): Promise<BatchResult> {
    return (await this.writeBatches([spans]))[0]!;
  }

  /** Stores several requests' spans in one transaction (group commit); a result per request. */
  async writeBatches(groups: readonly (readonly SpanRecord[])[]): Promise<BatchResult[]> {
    return inTransaction(this.pool, (client, attempt) => this.write(client, groups, attempt > 1), {
      onRetry: () => {
        this.retries++;
      },
      retryConnectionLoss: true,
    });
  }

  /** The same, inside the caller's transaction on `client` (which then retries as it sees fit). */
  async writeInTransaction(
    client: pg.PoolClient,
    groups: readonly (readonly SpanRecord[])[],
  ): Promise<BatchResult[]> {
    return this.write(client, groups);
  }

  private async write(
    client: pg.PoolClient,
    groups: readonly (readonly SpanRecord[])[],
    /** Look every span id up, even in traces this request creates (after a unique violation). */
    lookUpAll = false,
  ): Promise<BatchResult[]> {
    // Each span id once, first occurrence wins (an exporter's retry may resend a whole request).
    const candidates: SpanRecord[] = [];
    const candidateGroup: number[] = [];
    const seen = new Set<string>();
    for (const [g, spans] of groups.entries()) {
      for (const span of spans) {
        if (seen.has(span.spanId)) continue;
        seen.add(span.spanId);
        candidates.push(span);
        candidateGroup.push(g);
      }
    }
    const results: BatchResult[] = groups.map((spans) => ({ inserted: 0, duplicates: spans.length }));
    if (candidates.length === 0) return results;

    const traces = await this.lockTraces(client, candidates);
    // A span's parent and children share its trace: spans of traces this request created have no
    // stored duplicates, parents or children, so only spans of older traces need looking up. An id
    // reused across traces (bad data) fails the COPY on the unique index; the attempt after that
    // looks every id up and counts it as a duplicate.
    const inOldTraces = lookUpAll ? candidates : candidates.filter((s) => !traces.get(s.traceId)!.inserted);
    const stored = new Set(
      inOldTraces.length === 0
        ? []
        : await selectColumn<string>(client, 'SELECT span_id FROM spans WHERE span_id = ANY($1::text[])', [
            inOldTraces.map((s) => s.spanId),
          ]),
    );
    const fresh: SpanRecord[] = [];
    for (const [i, span] of candidates.entries()) {
      if (stored.has(span.spanId)) continue;
      fresh.push(span);
      const result = results[candidateGroup[i]!]!;
      result.inserted++;
      result.duplicates--;
    }
    if (fresh.length === 0) return results;

    const sessions = await this.sessionDeltas(client, fresh, traces);
    const childTotals = await this.storedChildTotals(
      client,
      fresh.flatMap((s) => {
        const trace = traces.get(s.traceId)!;
        return trace.inserted ? [] : [{ traceRowId: trace.id, spanId: s.spanId }];
      }),
    );
    const counts = cumulativeCounts(fresh, childTotals);
    await this.insertSpans(client, fresh, traces, counts);
    await this.addToStoredAncestors(client, ancestorDeltas(fresh, counts));
    await this.updateSessions(client, sessions);
    return results;
  }

  private async projectIds(client: pg.PoolClient, names: string[]): Promise<Map<string, number>> {
    const select = 'SELECT id, name FROM projects WHERE name = ANY($1::text[])';
    const ids = new Map<string, number>();
    for (const row of (await client.query<{ id: number; name: string }>(select, [names])).rows) {
      ids.set(row.name, row.id);
    }
    const missing = names.filter((n) => !ids.has(n));
    if (missing.length > 0) {
      const now = this.nowMicros();
      await client.query(
        `INSERT INTO projects (name, description, created_at, updated_at)
         SELECT name, NULL, $2, $2 FROM unnest($1::text[]) AS name
         ON CONFLICT (name) DO NOTHING`,
        [missing, now],
      );
      for (const row of (await client.query<{ id: number; name: string }>(select, [missing])).rows) {
        ids.set(row.name, row.id);
      }
    }
    return ids;
  }

  /**
   * Creates the request's new traces and widens the others' time ranges, in trace_id order: the
   * row locks this takes (or the waits on another writer's uncommitted new trace) are what keeps two
   * writers of one trace apart until commit.
   */
  private async lockTraces(
    client: pg.PoolClient,
    spans: readonly SpanRecord[],
  ): Promise<Map<string, TraceRow>> {
    const byTrace = new Map<string, NewTrace>();
    for (const span of spans) {
      const t = byTrace.get(span.traceId);
      const session = span.sessionId ? pgText(span.sessionId) : null;
      if (!t)
        byTrace.set(span.traceId, {
          project: pgText(span.projectName),
          start: span.startTime,
          end: span.endTime,
          session,
        });
      else {
        t.start = Math.min(t.start, span.startTime);
        t.end = Math.max(t.end, span.endTime);
        t.session ??= session;
      }
    }
    const traceIds = [...byTrace.keys()].sort();
    const projects = await this.projectIds(
      client,
      [...new Set([...byTrace.values()].map((t) => t.project))].sort(),
    );
    // Sessions first (created in session_id order), so that new traces are created in theirs.
    const sessions = await this.sessionRows(client, byTrace, projects);
    const { rows } = await client.query<{
      id: number;
      trace_id: string;
      project_id: number;
      project_session_id: number | null;
      start_time: number;
      end_time: number;
      inserted: boolean;
    }>(
      `INSERT INTO traces (project_id, trace_id, project_session_id, start_time, end_time)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[])
       ON CONFLICT (trace_id) DO UPDATE SET
         start_time = least(traces.start_time, excluded.start_time),
         end_time = greatest(traces.end_time, excluded.end_time)
       RETURNING id, trace_id, project_id, project_session_id, start_time, end_time, (xmax = 0) AS inserted`,
      [
        traceIds.map((id) => projects.get(byTrace.get(id)!.project)!),
        traceIds,
        traceIds.map((id) => {
          const session = byTrace.get(id)!.session;
          return session === null ? null : sessions.get(session)!.id;
        }),
        traceIds.map((id) => byTrace.get(id)!.start),
        traceIds.map((id) => byTrace.get(id)!.end),
      ],
    );
    const traces = new Map<string, TraceRow>();
    for (const row of rows) {
      traces.set(row.trace_id, {
        id: row.id,
        projectId: row.project_id,
        sessionRowId: row.project_session_id,
        startTime: row.start_time,
        endTime: row.end_time,
        inserted: row.inserted,
        carriedSession: byTrace.get(row.trace_id)!.session,
      });
    }
    await this.dropUnusedSessions(client, sessions, traces);
    return traces;
  }

  /**
   * The session rows of the session ids the spans carry, created when missing (in session_id order,
   * in the project and time range of the first trace that carries them).
   */
  private async sessionRows(
    client: pg.PoolClient,
    byTrace: ReadonlyMap<string, NewTrace>,
    projects: ReadonlyMap<string, number>,
  ): Promise<Map<string, { id: number; created: boolean; projectId: number }>> {
    const first = new Map<string, NewTrace>();
    for (const t of byTrace.values())
      if (t.session !== null && !first.has(t.session)) first.set(t.session, t);
    const rows = new Map<string, { id: number; created: boolean; projectId: number }>();
    if (first.size === 0) return rows;
    const sessionIds = [...first.keys()].sort();
    const select =
      'SELECT id, session_id, project_id FROM project_sessions WHERE session_id = ANY($1::text[])';
    type Row = { id: number; session_id: string; project_id: number };
    const found = async (wanted: string[]) => {
      for (const row of (await client.query<Row>(select, [wanted])).rows) {
        rows.set(row.session_id, { id: row.id, created: false, projectId: row.project_id });
      }
    };
    await found(sessionIds);
    const missing = sessionIds.filter((id) => !rows.has(id));
    if (missing.length > 0) {
      const created = await client.query<Row>(
        `INSERT INTO project_sessions (session_id, project_id, start_time, end_time)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[])
         ON CONFLICT (session_id) DO NOTHING RETURNING id, session_id, project_id`,
        [
          missing,
          missing.map((id) => projects.get(first.get(id)!.project)!),
          missing.map((id) => first.get(id)!.start),
          missing.map((id) => first.get(id)!.end),
        ],
      );
      for (const row of created.rows) {
        rows.set(row.session_id, { id: row.id, created: true, projectId: row.project_id });
      }
      // Another writer created some meanwhile (this insert waited for its commit).
      const raced = missing.filter((id) => !rows.has(id));
      if (raced.length > 0) await found(raced);
    }
    return rows;
  }

  /**
   * A session this request created belongs to the project of the first trace that joins it; one
   * that no trace joins (its trace already had another session) is dropped again, never committed.
   */
  private async dropUnusedSessions(
    client: pg.PoolClient,
    sessions: ReadonlyMap<string, { id: number; created: boolean; projectId: number }>,
    traces: ReadonlyMap<string, TraceRow>,
  ): Promise<void> {
    const joinedBy = new Map<number, TraceRow>();
    for (const trace of traces.values()) {
      const joins = trace.inserted
        ? trace.sessionRowId
        : trace.sessionRowId === null
          ? trace.carriedSession
          : null;
      const id = typeof joins === 'string' ? sessions.get(joins)!.id : joins;
      if (id !== null && !joinedBy.has(id)) joinedBy.set(id, trace);
    }
    const unused: number[] = [];
    const moved: [number, number][] = [];
    for (const session of sessions.values()) {
      if (!session.created) continue;
      const trace = joinedBy.get(session.id);
      if (!trace) unused.push(session.id);
      else if (trace.projectId !== session.projectId) moved.push([session.id, trace.projectId]);
    }
    if (unused.length > 0) {
      await client.query('DELETE FROM project_sessions WHERE id = ANY($1::bigint[])', [unused]);
    }
    for (const [id, projectId] of moved) {
      await client.query('UPDATE project_sessions SET project_id = $1 WHERE id = $2', [projectId, id]);
    }
  }

  /**
   * Session rollups of this request's fresh spans, with the traces that join a session now (new
   * ones, and stored ones whose earlier spans carried no session id) attached to it. Session rows
   * are locked in id order here, before anything updates them.
   */
  private async sessionDeltas(
    client: pg.PoolClient,
    fresh: readonly SpanRecord[],
    traces: ReadonlyMap<string, TraceRow>,
  ): Promise<Map<number, SessionDelta>> {
    // New traces were created in the session their spans carry; a stored trace without a session
    // joins it now (its spans so far carried none).
    const joining = new Map<string, TraceRow>();
    const joinedAtInsert = new Set<TraceRow>();
    const sessionIds = await this.sessionIdsByKey(client, traces);
    for (const span of fresh) {
      const trace = traces.get(span.traceId)!;
      if (trace.inserted) {
        if (trace.sessionRowId !== null) joinedAtInsert.add(trace);
      } else if (trace.sessionRowId === null && trace.carriedSession !== null && !joining.has(span.traceId)) {
        trace.sessionRowId = sessionIds.get(trace.carriedSession)!;
        joining.set(span.traceId, trace);
      }
    }

    const sessions = new Map<number, SessionDelta>();
    const deltaFor = (trace: TraceRow) => {
      const id = trace.sessionRowId!;
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
      } else {
        delta.startTime = Math.min(delta.startTime, trace.startTime);
        delta.endTime = Math.max(delta.endTime, trace.endTime);
      }
      return delta;
    };
    for (const span of fresh) {
      const trace = traces.get(span.traceId)!;
      if (trace.sessionRowId === null) continue;
      const delta = deltaFor(trace);
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
    for (const trace of joinedAtInsert) deltaFor(trace).traces++;
    if (sessions.size === 0) return sessions;

    await client.query(
      'SELECT id FROM project_sessions WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',
      [[...sessions.keys()].sort((a, b) => a - b)],
    );
    if (joining.size > 0) await this.joinSessions(client, joining, deltaFor);
    return sessions;
  }

  /** Row ids of the sessions that stored traces join now (lockTraces created or found them). */
  private async sessionIdsByKey(
    client: pg.PoolClient,
    traces: ReadonlyMap<string, TraceRow>,
  ): Promise<Map<string, number>> {
    const wanted = [
      ...new Set(
        [...traces.values()]
          .filter((t) => !t.inserted && t.sessionRowId === null && t.carriedSession !== null)
          .map((t) => t.carriedSession!),
      ),
    ];
    if (wanted.length === 0) return new Map();
    const { rows } = await client.query<{ id: number; session_id: string }>(
      'SELECT id, session_id FROM project_sessions WHERE session_id = ANY($1::text[])',
      [wanted],
    );
    return new Map(rows.map((r) => [r.session_id, r.id]));
  }

  /**
   * Attaches the joining traces to their sessions; stored traces bring what their earlier spans
   * already hold (tokens of LLM spans, error spans, the root's input and output).
   */
  private async joinSessions(
    client: pg.PoolClient,
    joining: ReadonlyMap<string, TraceRow>,
    deltaFor: (trace: TraceRow) => SessionDelta,
  ): Promise<void> {
    const rows = [...joining.values()];
    for (const trace of rows) deltaFor(trace).traces++;
    const late = rows;
    if (late.length > 0) {
      const byRowId = new Map(late.map((t) => [t.id, t]));
      const totals = await client.query<{ trace_rowid: number } & Counts>(
        `SELECT trace_rowid,
                coalesce(sum(llm_token_count_prompt) FILTER (WHERE span_kind = 'LLM'), 0) AS prompt,
                coalesce(sum(llm_token_count_completion) FILTER (WHERE span_kind = 'LLM'), 0) AS completion,
                count(*) FILTER (WHERE status_code = 'ERROR') AS errors
         FROM spans WHERE trace_rowid = ANY($1::bigint[]) GROUP BY trace_rowid`,
        [[...byRowId.keys()]],
      );
      for (const row of totals.rows) {
        const delta = deltaFor(byRowId.get(row.trace_rowid)!);
        delta.prompt += row.prompt;
        delta.completion += row.completion;
        delta.errors += row.errors;
      }
      const roots = await client.query<{
        trace_rowid: number;
        start_time: number;
        input: string;
        output: string;
      }>(
        `SELECT DISTINCT ON (trace_rowid) trace_rowid, start_time,
                attributes #> '{input,value}' AS input, attributes #> '{output,value}' AS output
         FROM spans WHERE trace_rowid = ANY($1::bigint[]) AND parent_id IS NULL
         ORDER BY trace_rowid, start_time`,
        [[...byRowId.keys()]],
      );
      for (const row of roots.rows) {
        const delta = deltaFor(byRowId.get(row.trace_rowid)!);
        offerFirstInput(delta, parseJson(row.input), row.start_time);
        offerLastOutput(delta, parseJson(row.output), row.start_time);
      }
    }
    await client.query(
      `UPDATE traces SET project_session_id = u.session
       FROM unnest($1::bigint[], $2::bigint[]) AS u(id, session) WHERE traces.id = u.id`,
      [rows.map((t) => t.id), rows.map((t) => t.sessionRowId)],
    );
  }

  /**
   * Cumulative counts of stored spans, summed per parent, for the parents among these spans (a
   * span's children are in its trace: one probe of ix_spans_trace_parent per span).
   */
  private async storedChildTotals(
    client: pg.PoolClient,
    parents: readonly { traceRowId: number; spanId: string }[],
  ): Promise<Map<string, Counts>> {
    if (parents.length === 0) return new Map();
    const { rows } = await client.query<{ parent_id: string } & Counts>(
      `SELECT s.parent_id,
              sum(s.cumulative_error_count) AS errors,
              sum(s.cumulative_llm_token_count_prompt) AS prompt,
              sum(s.cumulative_llm_token_count_completion) AS completion
       FROM unnest($1::bigint[], $2::text[]) AS p(trace_rowid, span_id)
       JOIN spans AS s ON s.trace_rowid = p.trace_rowid AND s.parent_id = p.span_id
       GROUP BY s.parent_id`,
      [parents.map((p) => p.traceRowId), parents.map((p) => p.spanId)],
    );
    return new Map(rows.map((r) => [r.parent_id, r]));
  }

  /**
   * The whole request in one COPY (PostgreSQL's fastest way in). Its span ids were checked absent
   * while this transaction holds their traces; should another writer still store one of them (the
   * same span id under another trace: bad data), the unique violation restarts the transaction,
   * which then counts that span as a duplicate.
   */
  private async insertSpans(
    client: pg.PoolClient,
    spans: readonly SpanRecord[],
    traces: ReadonlyMap<string, TraceRow>,
    counts: ReadonlyMap<string, Counts>,
  ): Promise<void> {
    await this.loadPrices(client, spans, traces);
    const data = copyData(
      spans.map((span) => traces.get(span.traceId)!.id),
      spans.map((span) => counts.get(span.spanId)!),
      spans.map(spanCopyRowBytes),
      spans.map((span) =>
        this.pricer.costOf(Number(traces.get(span.traceId)!.projectId), llmCostInputsOfSpan(span)),
      ),
    );
    const copy = client.query(copyFrom(`COPY spans (${SPAN_COPY_COLUMNS}) FROM STDIN (FORMAT binary)`));
    await pipeline(Readable.from(data), copy);
  }

  /**
   * The prices in force for this transaction: the price table's fingerprint (count and largest id,
   * one index probe), and the own rules of projects not cached yet, in one query, only when some
   * span has a model to price.
   */
  private async loadPrices(
    client: pg.PoolClient,
    spans: readonly SpanRecord[],
    traces: ReadonlyMap<string, TraceRow>,
  ): Promise<void> {
    const projects = new Set<number>();
    for (const span of spans)
      if (llmCostInputsOfSpan(span)) projects.add(Number(traces.get(span.traceId)!.projectId));
    if (projects.size === 0) return;
    const version = await client.query<{ n: string; m: string }>(
      'SELECT count(*) AS n, coalesce(max(id), 0) AS m FROM model_prices',
    );
    this.pricer.refresh(`${version.rows[0]!.n}:${version.rows[0]!.m}`);
    const missing = [...projects].filter((id) => !this.pricer.hasProject(id));
    if (missing.length === 0) return;
    const { rows } = await client.query<ModelPriceRecord>(
      'SELECT * FROM model_prices WHERE project_id = ANY($1::bigint[])',
      [missing],
    );
    const prices = rows.map(toModelPriceRecord);
    for (const id of missing) {
      this.pricer.setProjectRules(id, prices.filter((r) => r.project_id === id).map(toPriceRule));
    }
  }

  /**
   * Adds each delta to the stored span it names and to all of that span's ancestors, in one
   * statement. A parent_id cycle in bad data ends the walk where a span repeats on its path.
   */
  private async addToStoredAncestors(
    client: pg.PoolClient,
    deltas: ReadonlyMap<string, Counts>,
  ): Promise<void> {
    if (deltas.size === 0) return;
    const parents = [...deltas.keys()];
    await client.query(
      `WITH RECURSIVE seed (span_id, errors, prompt, completion) AS (
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[])
       ), walk (span_id, parent_id, errors, prompt, completion, path) AS (
         SELECT s.span_id, s.parent_id, seed.errors, seed.prompt, seed.completion, ARRAY[s.span_id]
         FROM seed JOIN spans s ON s.span_id = seed.span_id
         UNION ALL
         SELECT s.span_id, s.parent_id, w.errors, w.prompt, w.completion, w.path || s.span_id
         FROM walk w JOIN spans s ON s.span_id = w.parent_id
         WHERE s.span_id <> ALL (w.path)
       ), totals AS (
         SELECT span_id, sum(errors) AS errors, sum(prompt) AS prompt, sum(completion) AS completion
         FROM walk GROUP BY span_id
       )
       UPDATE spans SET
         cumulative_error_count = spans.cumulative_error_count + totals.errors,
         cumulative_llm_token_count_prompt = spans.cumulative_llm_token_count_prompt + totals.prompt,
         cumulative_llm_token_count_completion = spans.cumulative_llm_token_count_completion + totals.completion
       FROM totals WHERE spans.span_id = totals.span_id`,
      [
        parents,
        parents.map((p) => deltas.get(p)!.errors),
        parents.map((p) => deltas.get(p)!.prompt),
        parents.map((p) => deltas.get(p)!.completion),
      ],
    );
  }

  private async updateSessions(
    client: pg.PoolClient,
    sessions: ReadonlyMap<number, SessionDelta>,
  ): Promise<void> {
    if (sessions.size === 0) return;
    const ids = [...sessions.keys()].sort((a, b) => a - b);
    const d = ids.map((id) => sessions.get(id)!);
    const firstInput =
      'u.first_input_time IS NOT NULL AND (p.first_input_time IS NULL OR p.first_input_time > u.first_input_time)';
    const lastOutput =
      'u.last_output_time IS NOT NULL AND (p.last_output_time IS NULL OR p.last_output_time <= u.last_output_time)';
    await client.query(
      `UPDATE project_sessions p SET
         num_traces = p.num_traces + u.traces,
         token_count_prompt = p.token_count_prompt + u.prompt,
         token_count_completion = p.token_count_completion + u.completion,
         error_count = p.error_count + u.errors,
         start_time = least(p.start_time, u.start_time),
         end_time = greatest(p.end_time, u.end_time),
         first_input = CASE WHEN ${firstInput} THEN u.first_input ELSE p.first_input END,
         first_input_time = CASE WHEN ${firstInput} THEN u.first_input_time ELSE p.first_input_time END,
         last_output = CASE WHEN ${lastOutput} THEN u.last_output ELSE p.last_output END,
         last_output_time = CASE WHEN ${lastOutput} THEN u.last_output_time ELSE p.last_output_time END
       FROM unnest($1::bigint[], $2::integer[], $3::bigint[], $4::bigint[], $5::integer[], $6::bigint[],
         $7::bigint[], $8::text[], $9::bigint[], $10::text[], $11::bigint[])
         AS u(id, traces, prompt, completion, errors, start_time, end_time, first_input, first_input_time,
           last_output, last_output_time)
       WHERE p.id = u.id`,
      [
        ids,
        d.map((s) => s.traces),
        d.map((s) => s.prompt),
        d.map((s) => s.completion),
        d.map((s) => s.errors),
        d.map((s) => s.startTime),
        d.map((s) => s.endTime),
        d.map((s) => (s.firstInput ? pgText(s.firstInput.value) : null)),
        d.map((s) => s.firstInput?.time ?? null),
        d.map((s) => (s.lastOutput ? pgText(s.lastOutput.value) : null)),
        d.map((s) => s.lastOutput?.time ?? null),
      ],
    );
  }
}

async function selectColumn<T>(client: pg.PoolClient, text: string, values: unknown[]): Promise<T[]> {
  const { rows } = await client.query({ text, values, rowMode: 'array' });
  return rows.map((r: unknown[]) => r[0] as T);
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function offerFirstInput(delta: SessionDelta, value: unknown, time: number): void {
  if (typeof value !== 'string') return;
  if (!delta.firstInput || time < delta.firstInput.time) delta.firstInput = { value, time };
}

function offerLastOutput(delta: SessionDelta, value: unknown, time: number): void {
  if (typeof value !== 'string') return;
  if (!delta.lastOutput || time >= delta.lastOutput.time) delta.lastOutput = { value, time };
}
