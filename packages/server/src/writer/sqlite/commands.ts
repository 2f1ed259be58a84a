import type { SqliteConnection } from '../../store/sqlite/open.js';
import { SqliteSpanWriter } from '../../store/sqlite/span-writer.js';
import type {
  AnnotationDeleteFilter,
  CommandArgs,
  ProjectRecord,
  RowRef,
  SyncStoreCommands,
  TransferTracesResult,
} from '../commands.js';
import { SqliteAnnotationConfigs } from './annotation-configs.js';
import { SqliteAnnotationWriter } from './annotations.js';
import { SqliteModelPrices } from './model-prices.js';
import { SqliteRecost } from './recost.js';
import { SqliteRetention } from './retention.js';
import { SqliteRollups } from './rollups.js';

/** Now, in microseconds since the epoch (sub-millisecond, so successive writes rarely tie). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

const ANNOTATION_DELETE_SCOPES: Record<AnnotationDeleteFilter['kind'], { table: string; inProject: string }> =
  {
    span: {
      table: 'span_annotations',
      inProject:
        'span_rowid IN (SELECT s.id FROM spans s JOIN traces t ON s.trace_rowid = t.id WHERE t.project_id = @projectId)',
    },
    trace: {
      table: 'trace_annotations',
      inProject: 'trace_rowid IN (SELECT id FROM traces WHERE project_id = @projectId)',
    },
    session: {
      table: 'project_session_annotations',
      inProject: 'project_session_id IN (SELECT id FROM project_sessions WHERE project_id = @projectId)',
    },
  };

/**
 * The store commands for SQLite, run on the writer thread (the only writer of the file), each in
 * one transaction. Cascades come from the schema's foreign keys (ON DELETE CASCADE); rollups that
 * deletes and moves change are recomputed by SqliteRollups.
 */
export class SqliteCommands implements SyncStoreCommands {
  private readonly spans: SqliteSpanWriter;
  readonly annotations: SqliteAnnotationWriter;
  private readonly rollups: SqliteRollups;
  private readonly prices: SqliteModelPrices;
  private readonly recost: SqliteRecost;
  private readonly configs: SqliteAnnotationConfigs;
  private readonly retention: SqliteRetention;
  private readonly stmt;

  constructor(
    private readonly db: SqliteConnection,
    private readonly now: () => number = nowMicros,
  ) {
    this.spans = new SqliteSpanWriter(db, now);
    this.annotations = new SqliteAnnotationWriter(db);
    this.rollups = new SqliteRollups(db);
    this.prices = new SqliteModelPrices(db);
    this.recost = new SqliteRecost(db);
    this.configs = new SqliteAnnotationConfigs(db);
    this.retention = new SqliteRetention(db, this.rollups);
    this.stmt = {
      insertProject: db.prepare<[string, string | null, number, number], ProjectRecord>(
        `INSERT INTO projects (name, description, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO NOTHING RETURNING id, name, description`,
      ),
      updateProject: db.prepare<[string | null, number, number], ProjectRecord>(
        'UPDATE projects SET description = ?, updated_at = ? WHERE id = ? RETURNING id, name, description',
      ),
      selectProject: db.prepare<[number], ProjectRecord>(
        'SELECT id, name, description FROM projects WHERE id = ?',
      ),
      deleteProject: db.prepare<[number]>('DELETE FROM projects WHERE id = ?'),
      traceById: db.prepare<[number], TraceRow>(
        'SELECT id, project_id, project_session_id FROM traces WHERE id = ?',
      ),
      traceByTraceId: db.prepare<[string], TraceRow>(
        'SELECT id, project_id, project_session_id FROM traces WHERE trace_id = ?',
      ),
      deleteTrace: db.prepare<[number]>('DELETE FROM traces WHERE id = ?'),
      moveTraces: db.prepare<[number, string]>(
        'UPDATE traces SET project_id = ? WHERE id IN (SELECT value FROM json_each(?))',
      ),
      sessionTraceCount: db.prepare<[number], { n: number }>(
        'SELECT count(*) AS n FROM traces WHERE project_session_id = ?',
      ),
      moveSession: db.prepare<[number, number]>('UPDATE project_sessions SET project_id = ? WHERE id = ?'),
      leaveSession: db.prepare<[string]>(
        'UPDATE traces SET project_session_id = NULL WHERE id IN (SELECT value FROM json_each(?))',
      ),
      spanById: db.prepare<[number], SpanRow>(`SELECT ${SPAN_ROW} FROM spans WHERE id = ?`),
      spanBySpanId: db.prepare<[string], SpanRow>(`SELECT ${SPAN_ROW} FROM spans WHERE span_id = ?`),
      deleteSpan: db.prepare<[number]>('DELETE FROM spans WHERE id = ?'),
      subtractFromAncestors: db.prepare(
        // UNION (not UNION ALL) drops rows already seen, so a parent_id cycle in bad data ends the walk.
        `WITH RECURSIVE ancestors (span_id, parent_id) AS (
           SELECT span_id, parent_id FROM spans WHERE span_id = @parentId
           UNION
           SELECT s.span_id, s.parent_id FROM spans s JOIN ancestors a ON s.span_id = a.parent_id
         )
         UPDATE spans SET
           cumulative_error_count = cumulative_error_count - @errors,
           cumulative_llm_token_count_prompt = cumulative_llm_token_count_prompt - @prompt,
           cumulative_llm_token_count_completion = cumulative_llm_token_count_completion - @completion
         WHERE span_id IN (SELECT span_id FROM ancestors)`,
      ),
      storedSpanIds: db.prepare<[string], { span_id: string }>(
        'SELECT span_id FROM spans WHERE span_id IN (SELECT value FROM json_each(?))',
      ),
      sessionById: db.prepare<[number], { id: number }>('SELECT id FROM project_sessions WHERE id = ?'),
      sessionBySessionId: db.prepare<[string], { id: number }>(
        'SELECT id FROM project_sessions WHERE session_id = ?',
      ),
      deleteSession: db.prepare<[number]>('DELETE FROM project_sessions WHERE id = ?'),
      deleteSessionsById: db.prepare<[string]>(
        'DELETE FROM project_sessions WHERE id IN (SELECT value FROM json_each(?))',
      ),
      deleteSessionsBySessionId: db.prepare<[string]>(
        'DELETE FROM project_sessions WHERE session_id IN (SELECT value FROM json_each(?))',
      ),
    };
  }

  private inTransaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (error) {
      this.annotations.recount();
      throw error;
    }
  }

  createProject({ name, description }: CommandArgs<'createProject'>) {
    const now = this.now();
    return this.stmt.insertProject.get(name, description, now, now) ?? null;
  }

  updateProject({ id, description }: CommandArgs<'updateProject'>) {
    if (description === null) return this.stmt.selectProject.get(id) ?? null;
    return this.stmt.updateProject.get(description, this.now(), id) ?? null;
  }

  deleteProject({ id }: CommandArgs<'deleteProject'>) {
    return this.stmt.deleteProject.run(id).changes > 0;
  }

  deleteTrace({ trace }: CommandArgs<'deleteTrace'>) {
    return this.inTransaction(() => {
      const row = this.findTrace(trace);
      if (!row) return false;
      this.stmt.deleteTrace.run(row.id);
      if (row.project_session_id !== null) this.rollups.refreshSessions([row.project_session_id]);
      return true;
    });
  }

  /**
   * Moves traces to another project. A session all of whose traces move goes with them; traces that
   * leave a session behind in the source project leave the session (session ids are unique across
   * the server, so the destination cannot have a session of the same id).
   */
  transferTraces({ traces, destinationProjectId }: CommandArgs<'transferTraces'>): TransferTracesResult {
    return this.inTransaction((): TransferTracesResult => {
      const found = new Map<number, TraceRow>();
      const missing: string[] = [];
      for (const { identifier, ref } of traces) {
        const row = this.findTrace(ref);
        if (row) found.set(row.id, row);
        else if (!missing.includes(identifier)) missing.push(identifier);
      }
      if (missing.length > 0) return { status: 'missing-traces', identifiers: missing };
      if (!this.stmt.selectProject.get(destinationProjectId)) return { status: 'missing-destination' };
      const rows = [...found.values()];
      if (new Set(rows.map((r) => r.project_id)).size > 1) return { status: 'several-source-projects' };
      const count = rows.length;
      if (rows[0]?.project_id === destinationProjectId) {
        return { status: 'transferred', count, destinationProjectId };
      }
      this.stmt.moveTraces.run(destinationProjectId, JSON.stringify([...found.keys()]));
      const bySession = new Map<number, number[]>();
      for (const r of rows) {
        if (r.project_session_id === null) continue;
        bySession.set(r.project_session_id, [...(bySession.get(r.project_session_id) ?? []), r.id]);
      }
      for (const [session, moved] of bySession) {
        const all = this.stmt.sessionTraceCount.get(session)!.n;
        if (all === moved.length) {
          this.stmt.moveSession.run(destinationProjectId, session);
        } else {
          this.stmt.leaveSession.run(JSON.stringify(moved));
          this.rollups.refreshSessions([session]);
        }
      }
      return { status: 'transferred', count, destinationProjectId };
    });
  }

  /** As Phoenix: the span's descendants stay (orphaned); its cumulative counts leave its ancestors. */
  deleteSpan({ span }: CommandArgs<'deleteSpan'>) {
    return this.inTransaction(() => {
      const row = 'rowId' in span ? this.stmt.spanById.get(span.rowId) : this.stmt.spanBySpanId.get(span.key);
      if (!row) return false;
      this.stmt.deleteSpan.run(row.id);
      if (row.parent_id !== null) {
        this.stmt.subtractFromAncestors.run({
          parentId: row.parent_id,
          errors: row.cumulative_error_count,
          prompt: row.cumulative_llm_token_count_prompt,
          completion: row.cumulative_llm_token_count_completion,
        });
      }
      this.rollups.refreshTraces([row.trace_rowid]);
      return true;
    });
  }

  logSpans({ spans }: CommandArgs<'logSpans'>) {
    return this.inTransaction(() => {
      const stored = new Set(
        this.stmt.storedSpanIds.all(JSON.stringify(spans.map((s) => s.spanId))).map((r) => r.span_id),
      );
      if (stored.size > 0) {
        const duplicates = spans.filter((s) => stored.has(s.spanId));
        return {
          status: 'duplicates' as const,
          spans: duplicates.map((s) => ({ spanId: s.spanId, traceId: s.traceId })),
        };
      }
      return { status: 'stored' as const, inserted: this.spans.writeBatch(spans).inserted };
    });
  }

  upsertAnnotations({ kind, annotations, sync }: CommandArgs<'upsertAnnotations'>) {
    return this.inTransaction(() => this.annotations.upsertMany(kind, annotations, sync, this.now()));
  }

  createNote({ kind, target, note, identifier }: CommandArgs<'createNote'>) {
    return this.inTransaction(() => this.annotations.note(kind, target, note, identifier, this.now()));
  }

  deleteSession({ session }: CommandArgs<'deleteSession'>) {
    return this.inTransaction(() => {
      const row =
        'rowId' in session
          ? this.stmt.sessionById.get(session.rowId)
          : this.stmt.sessionBySessionId.get(session.key);
      if (!row) return false;
      this.stmt.deleteSession.run(row.id);
      return true;
    });
  }

  deleteSessions(args: CommandArgs<'deleteSessions'>) {
    return this.inTransaction(() =>
      'rowIds' in args
        ? this.stmt.deleteSessionsById.run(JSON.stringify(args.rowIds)).changes
        : this.stmt.deleteSessionsBySessionId.run(JSON.stringify(args.sessionIds)).changes,
    );
  }

  deleteAnnotations(filter: CommandArgs<'deleteAnnotations'>) {
    const scope = ANNOTATION_DELETE_SCOPES[filter.kind];
    const where = [scope.inProject];
    if (filter.name !== null) where.push('name = @name');
    if (filter.identifier !== null) where.push('identifier = @identifier');
    if (filter.annotatorKind !== null) where.push('annotator_kind = @annotatorKind');
    if (filter.createdFrom !== null) where.push('created_at >= @createdFrom');
    if (filter.createdBefore !== null) where.push('created_at < @createdBefore');
    const { kind: _kind, ...params } = filter;
    const statement = this.db.prepare(`DELETE FROM ${scope.table} WHERE ${where.join(' AND ')}`);
    return statement.run(params).changes;
  }

  setRetentionPolicy({ projectId, limits }: CommandArgs<'setRetentionPolicy'>) {
    return this.retention.setPolicy(projectId, limits, this.now());
  }

  sweepTraces({ projectId, criterion, limit }: CommandArgs<'sweepTraces'>) {
    return this.inTransaction(() => this.retention.sweep(projectId, criterion, limit));
  }

  annotationConfigs(command: CommandArgs<'annotationConfigs'>) {
    return this.inTransaction(() => this.configs.run(command));
  }

  modelPrices(command: CommandArgs<'modelPrices'>) {
    return this.inTransaction(() => {
      const outcome = this.prices.run(command);
      if (outcome.status === 'ok') this.recost.enqueue(command.projectId);
      return outcome;
    });
  }

  recostSpans({ limit }: CommandArgs<'recostSpans'>) {
    return this.inTransaction(() => this.recost.batch(limit));
  }

  private findTrace(ref: RowRef): TraceRow | undefined {
    return 'rowId' in ref ? this.stmt.traceById.get(ref.rowId) : this.stmt.traceByTraceId.get(ref.key);
  }
}

interface TraceRow {
  id: number;
  project_id: number;
  project_session_id: number | null;
}

const SPAN_ROW =
  'id, trace_rowid, parent_id, cumulative_error_count, cumulative_llm_token_count_prompt, cumulative_llm_token_count_completion';

interface SpanRow {
  id: number;
  trace_rowid: number;
  parent_id: string | null;
  cumulative_error_count: number;
  cumulative_llm_token_count_prompt: number;
  cumulative_llm_token_count_completion: number;
}
