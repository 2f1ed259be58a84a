import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { pgJson, pgText } from '../store/postgres/pg-text.js';
import type { AnnotationInput, AnnotationKind, UpsertAnnotationsResult } from './commands.js';

interface KindTable {
  table: string;
  /** The annotation table's column that points at the target row. */
  targetColumn: string;
  /** Finds target row ids by the user's ids ($1: text[]). */
  lookup: string;
  conflict: string;
}

const DOCUMENTS = `CASE WHEN jsonb_typeof(attributes #> '{retrieval,documents}') = 'array'
  THEN jsonb_array_length(attributes #> '{retrieval,documents}') ELSE 0 END`;

const KINDS: Record<AnnotationKind, KindTable> = {
  span: {
    table: 'span_annotations',
    targetColumn: 'span_rowid',
    lookup: 'SELECT span_id AS key, id FROM spans WHERE span_id = ANY($1::text[])',
    conflict: 'name, span_rowid, identifier',
  },
  trace: {
    table: 'trace_annotations',
    targetColumn: 'trace_rowid',
    lookup: 'SELECT trace_id AS key, id FROM traces WHERE trace_id = ANY($1::text[])',
    conflict: 'name, trace_rowid, identifier',
  },
  session: {
    table: 'project_session_annotations',
    targetColumn: 'project_session_id',
    lookup: 'SELECT session_id AS key, id FROM project_sessions WHERE session_id = ANY($1::text[])',
    conflict: 'name, project_session_id, identifier',
  },
  document: {
    table: 'document_annotations',
    targetColumn: 'span_rowid',
    lookup: `SELECT span_id AS key, id, ${DOCUMENTS} AS documents FROM spans WHERE span_id = ANY($1::text[])`,
    conflict: 'name, span_rowid, document_position, identifier',
  },
};

/** Columns and placeholders of an annotation row; documents have a position, others not. */
const columns = (kind: AnnotationKind) =>
  `${KINDS[kind].targetColumn}, ${kind === 'document' ? 'document_position, ' : ''}name, label, score,
   explanation, metadata, annotator_kind, identifier, source, user_id, created_at, updated_at`;

const values = (kind: AnnotationKind) => {
  const n = kind === 'document' ? 11 : 10;
  const p = Array.from({ length: n }, (_, i) => `$${i + 1}`);
  const metadata = n - 5;
  p[metadata] = `${p[metadata]}::jsonb`;
  return [...p.slice(0, n - 2), "'API'", 'NULL', ...p.slice(n - 2)].join(', ');
};

const upsertSql = (kind: AnnotationKind) =>
  `INSERT INTO ${KINDS[kind].table} (${columns(kind)}) VALUES (${values(kind)})
   ON CONFLICT (${KINDS[kind].conflict}) DO UPDATE SET label = excluded.label, score = excluded.score,
     explanation = excluded.explanation, metadata = excluded.metadata,
     annotator_kind = excluded.annotator_kind, source = excluded.source, user_id = excluded.user_id,
     updated_at = excluded.updated_at
   RETURNING id`;

const insertSql = (kind: AnnotationKind) =>
  `INSERT INTO ${KINDS[kind].table} (${columns(kind)}) VALUES (${values(kind)}) RETURNING id`;

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
export const PENDING_BATCH = 500;

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
    await this.resolvePending(Number.MAX_SAFE_INTEGER);
    const targets = await this.findTargets(
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
      const ids: number[] = [];
      for (const a of annotations) ids.push(await this.upsert(kind, targets.get(a.target)!.id, a, now, now));
      return { status: 'stored', ids };
    }
    const later = annotations.filter((a) => !targets.has(a.target));
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
  async resolvePending(limit: number = PENDING_BATCH): Promise<number> {
    const { rows } = await this.client.query<PendingRow>(
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
      await this.upsert(row.kind, row.target_rowid, input, row.created_at, row.created_at);
    }
    return rows.length;
  }

  private async findTargets(kind: AnnotationKind, keys: readonly string[]): Promise<Map<string, Target>> {
    const { rows } = await this.client.query<{ key: string } & Target>(KINDS[kind].lookup, [
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
    return [
      target,
      ...(kind === 'document' ? [a.documentPosition ?? 0] : []),
      pgText(a.name),
      pgText(a.label),
      a.score,
      pgText(a.explanation),
      pgJson(JSON.stringify(a.metadata)),
      a.annotatorKind,
      pgText(a.identifier),
      createdAt,
      updatedAt,
    ];
  }
}
