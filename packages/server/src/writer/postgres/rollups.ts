import type pg from 'pg';

/**
 * PostgreSQL's SqliteRollups (commands-rollups.ts): keeps derived values right after deletes and
 * moves. A trace's start/end span its remaining spans and a trace without spans is deleted; a
 * session's rollups are recomputed from its remaining traces and a session without traces is
 * deleted. Runs inside the caller's transaction, which already holds the trace rows it changes.
 */
export class PostgresRollups {
  constructor(private readonly client: pg.PoolClient) {}

  /** After spans of these traces were deleted; then the sessions of the traces deleted or changed. */
  async refreshTraces(traceRowIds: Iterable<number>): Promise<void> {
    const ids = [...new Set(traceRowIds)].sort((a, b) => a - b);
    if (ids.length === 0) return;
    const { rows } = await this.client.query<{ id: number; project_session_id: number | null; n: number }>(
      `SELECT t.id, t.project_session_id, count(s.id) AS n
       FROM traces t LEFT JOIN spans s ON s.trace_rowid = t.id
       WHERE t.id = ANY($1::bigint[]) GROUP BY t.id ORDER BY t.id`,
      [ids],
    );
    const empty = rows.filter((r) => r.n === 0).map((r) => r.id);
    const remaining = rows.filter((r) => r.n > 0).map((r) => r.id);
    if (empty.length > 0) await this.client.query('DELETE FROM traces WHERE id = ANY($1::bigint[])', [empty]);
    if (remaining.length > 0) {
      await this.client.query(
        `UPDATE traces t SET start_time = r.start_time, end_time = r.end_time
         FROM (SELECT trace_rowid, min(start_time) AS start_time, max(end_time) AS end_time
               FROM spans WHERE trace_rowid = ANY($1::bigint[]) GROUP BY trace_rowid) r
         WHERE t.id = r.trace_rowid`,
        [remaining],
      );
    }
    await this.refreshSessions(
      rows.flatMap((r) => (r.project_session_id === null ? [] : [r.project_session_id])),
    );
  }

  /** After traces of these sessions were deleted, moved or changed. */
  async refreshSessions(sessionRowIds: Iterable<number>): Promise<void> {
    const ids = [...new Set(sessionRowIds)].sort((a, b) => a - b);
    if (ids.length === 0) return;
    await this.client.query(
      'SELECT id FROM project_sessions WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE',
      [ids],
    );
    await this.client.query(
      `DELETE FROM project_sessions p WHERE p.id = ANY($1::bigint[])
         AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_session_id = p.id)`,
      [ids],
    );
    const rootValue = (path: string, order: string) =>
      `SELECT s.attributes #>> '{${path},value}', s.start_time
       FROM spans s JOIN traces t ON s.trace_rowid = t.id
       WHERE t.project_session_id = p.id AND s.parent_id IS NULL
         AND jsonb_typeof(s.attributes #> '{${path},value}') = 'string'
       ORDER BY ${order} LIMIT 1`;
    await this.client.query(
      `UPDATE project_sessions p SET
         num_traces = (SELECT count(*) FROM traces WHERE project_session_id = p.id),
         start_time = (SELECT min(start_time) FROM traces WHERE project_session_id = p.id),
         end_time = (SELECT max(end_time) FROM traces WHERE project_session_id = p.id),
         token_count_prompt = coalesce((SELECT sum(s.llm_token_count_prompt) FROM spans s
           JOIN traces t ON s.trace_rowid = t.id WHERE t.project_session_id = p.id AND s.span_kind = 'LLM'), 0),
         token_count_completion = coalesce((SELECT sum(s.llm_token_count_completion) FROM spans s
           JOIN traces t ON s.trace_rowid = t.id WHERE t.project_session_id = p.id AND s.span_kind = 'LLM'), 0),
         error_count = (SELECT count(*) FROM spans s
           JOIN traces t ON s.trace_rowid = t.id WHERE t.project_session_id = p.id AND s.status_code = 'ERROR'),
         (first_input, first_input_time) = (${rootValue('input', 's.start_time, s.id')}),
         (last_output, last_output_time) = (${rootValue('output', 's.start_time DESC, s.id DESC')})
       WHERE p.id = ANY($1::bigint[])`,
      [ids],
    );
  }
}
