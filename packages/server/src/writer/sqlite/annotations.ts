import type { SqliteConnection } from '../../store/sqlite/open.js';
import {
  type AnnotationTarget,
  annotationInsertSql,
  annotationRow,
  annotationUpsertSql,
  annotationValues,
  noteAnnotation,
  PENDING_BATCH,
  PENDING_LIMIT,
  type PendingAnnotationRow,
  pendingAnnotation,
  pendingExpiry,
  rejectSyncUpsert,
} from '../annotation-rows.js';
import type { AnnotationInput, AnnotationKind, UpsertAnnotationsResult } from '../commands.js';

/** Finds target row ids by the user's ids (a JSON array parameter). */
const LOOKUPS: Record<AnnotationKind, string> = {
  span: 'SELECT span_id AS key, id FROM spans WHERE span_id IN (SELECT value FROM json_each(?))',
  trace: 'SELECT trace_id AS key, id FROM traces WHERE trace_id IN (SELECT value FROM json_each(?))',
  session:
    'SELECT session_id AS key, id FROM project_sessions WHERE session_id IN (SELECT value FROM json_each(?))',
  document: `SELECT span_id AS key, id, coalesce(json_array_length(attributes, '$.retrieval.documents'), 0) AS documents
             FROM spans WHERE span_id IN (SELECT value FROM json_each(?))`,
};

/** Named placeholders of an AnnotationRow (annotation-rows.ts). */
const values = (kind: AnnotationKind) =>
  `@target, ${kind === 'document' ? '@documentPosition, ' : ''}@name, @label, @score, @explanation, @metadata,
   @annotatorKind, @identifier, 'API', NULL, @createdAt, @updatedAt`;

/**
 * Annotation writes on the writer thread: upserts on (target, name, identifier) that keep the row
 * id, notes, and the pending store for annotations sent without `sync` before their target arrived
 * (kept durably and applied once the target is stored, as Phoenix's retrying queue does, without
 * losing them on a restart).
 */
export class SqliteAnnotationWriter {
  private readonly lookups;
  private readonly upserts;
  private readonly inserts;
  private readonly stmt;
  private pending: number;

  constructor(db: SqliteConnection) {
    const kinds = Object.keys(LOOKUPS) as AnnotationKind[];
    const build = (sql: (kind: AnnotationKind) => string) =>
      Object.fromEntries(kinds.map((kind) => [kind, db.prepare(sql(kind))])) as Record<
        AnnotationKind,
        ReturnType<SqliteConnection['prepare']>
      >;
    this.lookups = build((kind) => LOOKUPS[kind]);
    this.upserts = build((kind) => annotationUpsertSql(kind, values(kind)));
    this.inserts = build((kind) => annotationInsertSql(kind, values(kind)));
    this.stmt = {
      savePending: db.prepare(
        `INSERT INTO pending_annotations (kind, target, document_position, name, label, score, explanation,
           metadata, annotator_kind, identifier, created_at)
         VALUES (@kind, @target, @documentPosition, @name, @label, @score, @explanation, @metadata,
           @annotatorKind, @identifier, @createdAt)`,
      ),
      countPending: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM pending_annotations'),
      resolvable: db.prepare<[number], PendingAnnotationRow>(
        `SELECT p.*, coalesce(s.id, t.id, ps.id) AS target_rowid FROM pending_annotations p
           LEFT JOIN spans s ON p.kind IN ('span', 'document') AND s.span_id = p.target
           LEFT JOIN traces t ON p.kind = 'trace' AND t.trace_id = p.target
           LEFT JOIN project_sessions ps ON p.kind = 'session' AND ps.session_id = p.target
         WHERE coalesce(s.id, t.id, ps.id) IS NOT NULL
         ORDER BY p.id LIMIT ?`,
      ),
      deletePending: db.prepare<[number]>('DELETE FROM pending_annotations WHERE id = ?'),
      deleteExpired: db.prepare<[number]>('DELETE FROM pending_annotations WHERE created_at < ?'),
    };
    this.pending = this.stmt.countPending.get()!.n;
  }

  /** Annotations accepted without `sync` whose target has not arrived yet. */
  get pendingCount(): number {
    return this.pending;
  }

  /** Upserts (sync: all or nothing); runs inside the caller's transaction. */
  upsertMany(
    kind: AnnotationKind,
    annotations: readonly AnnotationInput[],
    sync: boolean,
    now: number,
  ): UpsertAnnotationsResult {
    // Older pending annotations go first, so that this request's values win over theirs.
    this.resolvePending(Number.MAX_SAFE_INTEGER, now);
    const targets = this.findTargets(
      kind,
      annotations.map((a) => a.target),
    );
    if (sync) {
      const rejected = rejectSyncUpsert(kind, annotations, targets);
      if (rejected) return rejected;
      return {
        status: 'stored',
        ids: annotations.map((a) => this.upsert(kind, targets.get(a.target)!.id, a, now)),
      };
    }
    const waiting = annotations.filter((a) => !targets.has(a.target)).length;
    if (waiting > 0 && this.pending + waiting > PENDING_LIMIT)
      return { status: 'pending-full', limit: PENDING_LIMIT };
    for (const a of annotations) {
      const target = targets.get(a.target);
      if (target) this.upsert(kind, target.id, a, now);
      else this.savePending(kind, a, now);
    }
    return { status: 'accepted' };
  }

  /** A note on the target; null when it does not exist. */
  note(kind: 'span' | 'trace' | 'session', target: string, text: string, identifier: string, now: number) {
    const found = this.findTargets(kind, [target]).get(target);
    if (!found) return null;
    const input = noteAnnotation(kind, target, text, identifier);
    const statement = identifier ? this.upserts[kind] : this.inserts[kind];
    const row = statement.get(annotationRow(kind, found.id, input, now, now)) as { id: number };
    return { id: row.id };
  }

  /** Applies pending annotations whose targets have arrived; how many were applied. */
  resolvePending(limit: number = PENDING_BATCH, now?: number): number {
    if (this.pending === 0) return 0;
    this.pending -= this.stmt.deleteExpired.run(pendingExpiry(now)).changes;
    const rows = this.stmt.resolvable.all(Math.min(limit, 1_000_000));
    for (const row of rows) {
      this.upserts[row.kind].get(
        annotationRow(row.kind, row.target_rowid, pendingAnnotation(row), row.created_at, row.created_at),
      );
      this.stmt.deletePending.run(row.id);
      this.pending--;
    }
    return rows.length;
  }

  private findTargets(kind: AnnotationKind, keys: readonly string[]): Map<string, AnnotationTarget> {
    const rows = this.lookups[kind].all(JSON.stringify([...new Set(keys)])) as ({
      key: string;
    } & AnnotationTarget)[];
    return new Map(rows.map((r) => [r.key, r]));
  }

  private upsert(kind: AnnotationKind, targetRowId: number, a: AnnotationInput, now: number): number {
    return (this.upserts[kind].get(annotationRow(kind, targetRowId, a, now, now)) as { id: number }).id;
  }

  private savePending(kind: AnnotationKind, a: AnnotationInput, now: number): void {
    this.stmt.savePending.run({
      kind,
      target: a.target,
      documentPosition: a.documentPosition ?? null,
      ...annotationValues(a),
      createdAt: now,
    });
    this.pending++;
  }

  /** The pending count read again from the file (after a transaction rolled back). */
  recount(): void {
    this.pending = this.stmt.countPending.get()!.n;
  }
}
