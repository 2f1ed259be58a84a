import type pg from 'pg';
import { pgJson, pgText } from '../../store/postgres/pg-text.js';
import {
  type AnnotationTarget,
  annotationInsertSql,
  annotationRow,
  annotationUpsertSql,
  noteAnnotation,
  PENDING_BATCH,
  PENDING_LIMIT,
  type PendingAnnotationRow,
  pendingAnnotation,
  pendingExpiry,
  rejectSyncUpsert,
} from '../annotation-rows.js';
import type { AnnotationInput, AnnotationKind, UpsertAnnotationsResult } from '../commands.js';

const DOCUMENTS = `CASE WHEN jsonb_typeof(attributes #> '{retrieval,documents}') = 'array'
  THEN jsonb_array_length(attributes #> '{retrieval,documents}') ELSE 0 END`;

/** Finds target row ids by the user's ids ($1: text[]). */
const LOOKUPS: Record<AnnotationKind, string> = {
  span: 'SELECT span_id AS key, id FROM spans WHERE span_id = ANY($1::text[])',
  trace: 'SELECT trace_id AS key, id FROM traces WHERE trace_id = ANY($1::text[])',
  session: 'SELECT session_id AS key, id FROM project_sessions WHERE session_id = ANY($1::text[])',
  document: `SELECT span_id AS key, id, ${DOCUMENTS} AS documents FROM spans WHERE span_id = ANY($1::text[])`,
};

/** Positional placeholders of an AnnotationRow (annotation-rows.ts); metadata is jsonb. */
const values = (kind: AnnotationKind) => {
  const n = kind === 'document' ? 11 : 10;
  const p = Array.from({ length: n }, (_, i) => `$${i + 1}`);
  const metadata = n - 5;
  p[metadata] = `${p[metadata]}::jsonb`;
  return [...p.slice(0, n - 2), "'API'", 'NULL', ...p.slice(n - 2)].join(', ');
};

const upsertSql = (kind: AnnotationKind) => annotationUpsertSql(kind, values(kind));
const insertSql = (kind: AnnotationKind) => annotationInsertSql(kind, values(kind));

/**
 * PostgreSQL's SqliteAnnotationWriter (commands-annotations.ts), on a client inside the caller's
 * transaction: upserts on (target, name, identifier) that keep the row id, notes, and the pending
 * store for annotations sent without `sync` before their target arrived. Several servers may
 * resolve pending annotations at once: each claims the rows it applies (DELETE … SKIP LOCKED).
 */
export class PostgresAnnotationWriter {
  constructor(private readonly client: pg.PoolClient) {}

  async upsertMany(
    kind: AnnotationKind,
    annotations: readonly AnnotationInput[],
    sync: boolean,
    now: number,
  ): Promise<UpsertAnnotationsResult> {
    // Older pending annotations go first, so that this request's values win over theirs.
    await this.resolvePending(Number.MAX_SAFE_INTEGER, now);
    const targets = await this.findTargets(
      kind,
      annotations.map((a) => a.target),
    );
    if (sync) {
      const rejected = rejectSyncUpsert(kind, annotations, targets);
      if (rejected) return rejected;
      const ids: number[] = [];
      for (const a of annotations) ids.push(await this.upsert(kind, targets.get(a.target)!.id, a, now, now));
      return { status: 'stored', ids };
    }
    const later = annotations.filter((a) => !targets.has(a.target));
    if (later.length > 0) {
      const { rows } = await this.client.query<{ n: string }>(
        'SELECT count(*) AS n FROM pending_annotations',
      );
      if (Number(rows[0]!.n) + later.length > PENDING_LIMIT)
        return { status: 'pending-full', limit: PENDING_LIMIT };
    }
    for (const a of annotations) {
      const target = targets.get(a.target);
      if (target) await this.upsert(kind, target.id, a, now, now);
    }
    if (later.length > 0) await this.savePending(kind, later, now);
    return { status: 'accepted' };
  }

  /** A note on the target; null when it does not exist. */
  async note(
    kind: 'span' | 'trace' | 'session',
    target: string,
    text: string,
    identifier: string,
    now: number,
  ) {
    const found = (await this.findTargets(kind, [target])).get(target);
    if (!found) return null;
    const input = noteAnnotation(kind, target, text, identifier);
    const statement = identifier ? upsertSql(kind) : insertSql(kind);
    const { rows } = await this.client.query<{ id: number }>(
      statement,
      this.params(kind, found.id, input, now, now),
    );
    return { id: rows[0]!.id };
  }

  /** Whether any annotation waits for its target (on this database, from any server). */
  async hasPending(): Promise<boolean> {
    const { rows } = await this.client.query<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM pending_annotations) AS any',
    );
    return rows[0]!.any;
  }

  /** Applies pending annotations whose targets have arrived; how many were applied. */
  async resolvePending(limit: number = PENDING_BATCH, now?: number): Promise<number> {
    await this.client.query('DELETE FROM pending_annotations WHERE created_at < $1', [pendingExpiry(now)]);
    const { rows } = await this.client.query<PendingAnnotationRow>(
      `WITH claimed AS (
         DELETE FROM pending_annotations WHERE id IN (
           SELECT p.id FROM pending_annotations p
             LEFT JOIN spans s ON p.kind IN ('span', 'document') AND s.span_id = p.target
             LEFT JOIN traces t ON p.kind = 'trace' AND t.trace_id = p.target
             LEFT JOIN project_sessions ps ON p.kind = 'session' AND ps.session_id = p.target
           WHERE coalesce(s.id, t.id, ps.id) IS NOT NULL
           ORDER BY p.id LIMIT $1 FOR UPDATE OF p SKIP LOCKED)
         RETURNING *
       )
       SELECT c.*, coalesce(s.id, t.id, ps.id) AS target_rowid FROM claimed c
         LEFT JOIN spans s ON c.kind IN ('span', 'document') AND s.span_id = c.target
         LEFT JOIN traces t ON c.kind = 'trace' AND t.trace_id = c.target
         LEFT JOIN project_sessions ps ON c.kind = 'session' AND ps.session_id = c.target
       ORDER BY c.id`,
      [Math.min(limit, 1_000_000)],
    );
    for (const row of rows) {
      await this.upsert(row.kind, row.target_rowid, pendingAnnotation(row), row.created_at, row.created_at);
    }
    return rows.length;
  }

  private async findTargets(
    kind: AnnotationKind,
    keys: readonly string[],
  ): Promise<Map<string, AnnotationTarget>> {
    const { rows } = await this.client.query<{ key: string } & AnnotationTarget>(LOOKUPS[kind], [
      [...new Set(keys)],
    ]);
    return new Map(rows.map((r) => [r.key, r]));
  }

  private async upsert(
    kind: AnnotationKind,
    targetRowId: number,
    a: AnnotationInput,
    createdAt: number,
    updatedAt: number,
  ): Promise<number> {
    const { rows } = await this.client.query<{ id: number }>(
      upsertSql(kind),
      this.params(kind, targetRowId, a, createdAt, updatedAt),
    );
    return rows[0]!.id;
  }

  private async savePending(kind: AnnotationKind, annotations: readonly AnnotationInput[], now: number) {
    await this.client.query(
      `INSERT INTO pending_annotations (kind, target, document_position, name, label, score, explanation,
         metadata, annotator_kind, identifier, created_at)
       SELECT $1, target, document_position, name, label, score, explanation, metadata, annotator_kind,
         identifier, $3
       FROM json_to_recordset($2::json) AS r(target text, document_position integer, name text, label text,
         score double precision, explanation text, metadata jsonb, annotator_kind text, identifier text)`,
      [
        kind,
        pgJson(
          JSON.stringify(
            annotations.map((a) => ({
              target: a.target,
              document_position: a.documentPosition ?? null,
              name: a.name,
              label: a.label,
              score: a.score,
              explanation: a.explanation,
              metadata: a.metadata,
              annotator_kind: a.annotatorKind,
              identifier: a.identifier,
            })),
          ),
        ),
        now,
      ],
    );
  }

  private params(
    kind: AnnotationKind,
    target: number,
    a: AnnotationInput,
    createdAt: number,
    updatedAt: number,
  ): unknown[] {
    const row = annotationRow(kind, target, a, createdAt, updatedAt);
    return [
      row.target,
      ...(kind === 'document' ? [row.documentPosition] : []),
      pgText(row.name),
      pgText(row.label),
      row.score,
      pgText(row.explanation),
      pgJson(row.metadata),
      row.annotatorKind,
      pgText(row.identifier),
      row.createdAt,
      row.updatedAt,
    ];
  }
}
