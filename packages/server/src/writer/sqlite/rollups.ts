import type { SqliteConnection } from '../../store/sqlite/open.js';

/**
 * Keeps derived values right after deletes and moves (the span writer keeps them right on
 * inserts): a trace's start/end span its remaining spans and a trace without spans is deleted; a
 * session's rollups are recomputed from its remaining traces and a session without traces is
 * deleted (as Phoenix deletes sessions its trace deletes leave empty). Runs inside the caller's
 * transaction, on the writer thread.
 */
export class SqliteRollups {
  private readonly stmt;

  constructor(db: SqliteConnection) {
    this.stmt = {
      traceSession: db.prepare<[number], { project_session_id: number | null }>(
        'SELECT project_session_id FROM traces WHERE id = ?',
      ),
      traceSpanRange: db.prepare<[number], { n: number; start: number | null; end: number | null }>(
        'SELECT count(*) AS n, min(start_time) AS start, max(end_time) AS "end" FROM spans WHERE trace_rowid = ?',
      ),
      deleteTrace: db.prepare<[number]>('DELETE FROM traces WHERE id = ?'),
      setTraceRange: db.prepare<[number, number, number]>(
        'UPDATE traces SET start_time = ?, end_time = ? WHERE id = ?',
      ),
      sessionTraceCount: db.prepare<[number], { n: number }>(
        'SELECT count(*) AS n FROM traces WHERE project_session_id = ?',
      ),
      deleteSession: db.prepare<[number]>('DELETE FROM project_sessions WHERE id = ?'),
      recomputeSession: db.prepare<{ id: number }>(
        `UPDATE project_sessions SET
           num_traces = (SELECT count(*) FROM traces WHERE project_session_id = @id),
           start_time = (SELECT min(start_time) FROM traces WHERE project_session_id = @id),
           end_time = (SELECT max(end_time) FROM traces WHERE project_session_id = @id),
           token_count_prompt = coalesce((SELECT sum(s.llm_token_count_prompt) FROM spans s
             JOIN traces t ON s.trace_rowid = t.id WHERE t.project_session_id = @id AND s.span_kind = 'LLM'), 0),
           token_count_completion = coalesce((SELECT sum(s.llm_token_count_completion) FROM spans s
             JOIN traces t ON s.trace_rowid = t.id WHERE t.project_session_id = @id AND s.span_kind = 'LLM'), 0),
           error_count = (SELECT count(*) FROM spans s
             JOIN traces t ON s.trace_rowid = t.id WHERE t.project_session_id = @id AND s.status_code = 'ERROR'),
           (first_input, first_input_time) = (SELECT json_extract(s.attributes, '$.input.value'), s.start_time
             FROM spans s JOIN traces t ON s.trace_rowid = t.id
             WHERE t.project_session_id = @id AND s.parent_id IS NULL
               AND json_type(s.attributes, '$.input.value') = 'text'
             ORDER BY s.start_time, s.id LIMIT 1),
           (last_output, last_output_time) = (SELECT json_extract(s.attributes, '$.output.value'), s.start_time
             FROM spans s JOIN traces t ON s.trace_rowid = t.id
             WHERE t.project_session_id = @id AND s.parent_id IS NULL
               AND json_type(s.attributes, '$.output.value') = 'text'
             ORDER BY s.start_time DESC, s.id DESC LIMIT 1)
         WHERE id = @id`,
      ),
    };
  }

  /** The session of a trace (read before the trace changes), or null. */
  sessionOfTrace(traceRowId: number): number | null {
    return this.stmt.traceSession.get(traceRowId)?.project_session_id ?? null;
  }

  /** After spans of these traces were deleted; then the sessions of the traces deleted or changed. */
  refreshTraces(traceRowIds: Iterable<number>): void {
    const sessions = new Set<number>();
    for (const id of new Set(traceRowIds)) {
      const session = this.sessionOfTrace(id);
      const range = this.stmt.traceSpanRange.get(id)!;
      if (range.n === 0) this.stmt.deleteTrace.run(id);
      else this.stmt.setTraceRange.run(range.start!, range.end!, id);
      if (session !== null) sessions.add(session);
    }
    this.refreshSessions(sessions);
  }

  /** After traces of these sessions were deleted, moved or changed. */
  refreshSessions(sessionRowIds: Iterable<number>): void {
    for (const id of new Set(sessionRowIds)) {
      if (this.stmt.sessionTraceCount.get(id)!.n === 0) this.stmt.deleteSession.run(id);
      else this.stmt.recomputeSession.run({ id });
    }
  }
}
