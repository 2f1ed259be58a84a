import { randomUUID } from 'node:crypto';
import type { SqliteConnection } from '../store/sqlite/open.js';
import type { AnnotationInput, AnnotationKind, UpsertAnnotationsResult } from './commands.js';

interface KindTable {
  table: string;
  /** The annotation table's column that points at the target row. */
  targetColumn: string;
  /** Finds target row ids by the user's ids (a JSON array parameter). */
  lookup: string;
  conflict: string;
}

const KINDS: Record<AnnotationKind, KindTable> = {
  span: {
    table: 'span_annotations',
    targetColumn: 'span_rowid',
    lookup: 'SELECT span_id AS key, id FROM spans WHERE span_id IN (SELECT value FROM json_each(?))',
    conflict: 'name, span_rowid, identifier',
  },
  trace: {
    table: 'trace_annotations',
    targetColumn: 'trace_rowid',
    lookup: 'SELECT trace_id AS key, id FROM traces WHERE trace_id IN (SELECT value FROM json_each(?))',
    conflict: 'name, trace_rowid, identifier',
  },
  session: {
    table: 'project_session_annotations',
    targetColumn: 'project_session_id',
    lookup:
      'SELECT session_id AS key, id FROM project_sessions WHERE session_id IN (SELECT value FROM json_each(?))',
    conflict: 'name, project_session_id, identifier',
  },
  document: {
    table: 'document_annotations',
    targetColumn: 'span_rowid',
    lookup: `SELECT span_id AS key, id, coalesce(json_array_length(attributes, '$.retrieval.documents'), 0) AS documents
             FROM spans WHERE span_id IN (SELECT value FROM json_each(?))`,
    conflict: 'name, span_rowid, document_position, identifier',
  },
};

interface Target {
  id: number;
  documents?: number;
}

interface PendingRow {
  id: number;
  kind: AnnotationKind;
  target: string;
  document_position: number | null;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: string;
  annotator_kind: AnnotationInput['annotatorKind'];
  identifier: string;
  created_at: number;
  target_rowid: number;
}

/** How many pending annotations one resolution pass applies, at most. */
const PENDING_BATCH = 500;

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
    const kinds = Object.keys(KINDS) as AnnotationKind[];
    const build = (fn: (k: KindTable, kind: AnnotationKind) => string) =>
      Object.fromEntries(kinds.map((kind) => [kind, db.prepare(fn(KINDS[kind], kind))])) as Record<
        AnnotationKind,
        ReturnType<SqliteConnection['prepare']>
      >;
    this.lookups = build((k) => k.lookup);
    const columns = (k: KindTable, kind: AnnotationKind) =>
      `${k.targetColumn}, ${kind === 'document' ? 'document_position, ' : ''}name, label, score, explanation, metadata,
       annotator_kind, identifier, source, user_id, created_at, updated_at`;
    const values = (kind: AnnotationKind) =>
      `@target, ${kind === 'document' ? '@documentPosition, ' : ''}@name, @label, @score, @explanation, @metadata,
       @annotatorKind, @identifier, 'API', NULL, @createdAt, @updatedAt`;
    this.upserts = build(
      (k, kind) => `INSERT INTO ${k.table} (${columns(k, kind)}) VALUES (${values(kind)})
        ON CONFLICT (${k.conflict}) DO UPDATE SET label = excluded.label, score = excluded.score,
          explanation = excluded.explanation, metadata = excluded.metadata,
          annotator_kind = excluded.annotator_kind, source = excluded.source, user_id = excluded.user_id,
          updated_at = excluded.updated_at
        RETURNING id`,
    );
    this.inserts = build(
      (k, kind) => `INSERT INTO ${k.table} (${columns(k, kind)}) VALUES (${values(kind)}) RETURNING id`,
    );
    this.stmt = {
      savePending: db.prepare(
        `INSERT INTO pending_annotations (kind, target, document_position, name, label, score, explanation,
           metadata, annotator_kind, identifier, created_at)
         VALUES (@kind, @target, @documentPosition, @name, @label, @score, @explanation, @metadata,
           @annotatorKind, @identifier, @createdAt)`,
      ),
      countPending: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM pending_annotations'),
      resolvable: db.prepare<[number], PendingRow>(
        `SELECT p.*, coalesce(s.id, t.id, ps.id) AS target_rowid FROM pending_annotations p
           LEFT JOIN spans s ON p.kind IN ('span', 'document') AND s.span_id = p.target
           LEFT JOIN traces t ON p.kind = 'trace' AND t.trace_id = p.target
           LEFT JOIN project_sessions ps ON p.kind = 'session' AND ps.session_id = p.target
         WHERE coalesce(s.id, t.id, ps.id) IS NOT NULL
         ORDER BY p.id LIMIT ?`,
      ),
      deletePending: db.prepare<[number]>('DELETE FROM pending_annotations WHERE id = ?'),
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
    this.resolvePending(Number.MAX_SAFE_INTEGER);
    const targets = this.findTargets(
      kind,
      annotations.map((a) => a.target),
    );
    if (sync) {
      const missing = [...new Set(annotations.map((a) => a.target))].filter((t) => !targets.has(t));
      if (missing.length > 0) return { status: 'missing', targets: missing };
      if (kind === 'document') {
        for (const a of annotations) {
          const documents = targets.get(a.target)!.documents ?? 0;
          const position = a.documentPosition ?? 0;
          if (position < 0 || position >= documents) {
            return { status: 'document-out-of-range', target: a.target, position, documents };
          }
        }
      }
      return {
        status: 'stored',
        ids: annotations.map((a) => this.upsert(kind, targets.get(a.target)!.id, a, now)),
      };
    }
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
    const input: AnnotationInput = {
      target,
      name: 'note',
      annotatorKind: 'HUMAN',
      label: null,
      score: null,
      explanation: text,
      metadata: {},
      identifier: identifier || `px-${kind}-note:${randomUUID()}`,
    };
    const statement = identifier ? this.upserts[kind] : this.inserts[kind];
    const row = statement.get(this.params(kind, found.id, input, now, now)) as { id: number };
    return { id: row.id };
  }

  /** Applies pending annotations whose targets have arrived; how many were applied. */
  resolvePending(limit: number = PENDING_BATCH): number {
    if (this.pending === 0) return 0;
    const rows = this.stmt.resolvable.all(Math.min(limit, 1_000_000));
    for (const row of rows) {
      const input: AnnotationInput = {
        target: row.target,
        ...(row.document_position === null ? {} : { documentPosition: row.document_position }),
        name: row.name,
        annotatorKind: row.annotator_kind,
        label: row.label,
        score: row.score,
        explanation: row.explanation,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
        identifier: row.identifier,
      };
      this.upserts[row.kind].get(
        this.params(row.kind, row.target_rowid, input, row.created_at, row.created_at),
      );
      this.stmt.deletePending.run(row.id);
      this.pending--;
    }
    return rows.length;
  }

  private findTargets(kind: AnnotationKind, keys: readonly string[]): Map<string, Target> {
    const rows = this.lookups[kind].all(JSON.stringify([...new Set(keys)])) as ({ key: string } & Target)[];
    return new Map(rows.map((r) => [r.key, r]));
  }

  private upsert(kind: AnnotationKind, targetRowId: number, a: AnnotationInput, now: number): number {
    return (this.upserts[kind].get(this.params(kind, targetRowId, a, now, now)) as { id: number }).id;
  }

  private savePending(kind: AnnotationKind, a: AnnotationInput, now: number): void {
    this.stmt.savePending.run({
      kind,
      target: a.target,
      documentPosition: a.documentPosition ?? null,
      name: a.name,
      label: a.label,
      score: a.score,
      explanation: a.explanation,
      metadata: JSON.stringify(a.metadata),
      annotatorKind: a.annotatorKind,
      identifier: a.identifier,
      createdAt: now,
    });
    this.pending++;
  }

  private params(
    kind: AnnotationKind,
    target: number,
    a: AnnotationInput,
    createdAt: number,
    updatedAt: number,
  ) {
    return {
      target,
      ...(kind === 'document' ? { documentPosition: a.documentPosition ?? 0 } : {}),
      name: a.name,
      label: a.label,
      score: a.score,
      explanation: a.explanation,
      metadata: JSON.stringify(a.metadata),
      annotatorKind: a.annotatorKind,
      identifier: a.identifier,
      createdAt,
      updatedAt,
    };
  }

  /** The pending count read again from the file (after a transaction rolled back). */
  recount(): void {
    this.pending = this.stmt.countPending.get()!.n;
  }
}
