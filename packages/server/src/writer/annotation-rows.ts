import { randomUUID } from 'node:crypto';
import type { AnnotationInput, AnnotationKind, UpsertAnnotationsResult } from './commands.js';

/**
 * The annotation writes both stores share (commands-annotations.ts for SQLite,
 * postgres-annotations.ts for PostgreSQL): tables and upsert keys, row values, the checks of a
 * `sync` upsert and the annotations rebuilt from notes and pending rows. Each store keeps its own
 * target lookups, placeholders and execution.
 */

interface AnnotationTable {
  table: string;
  /** The annotation table's column that points at the target row. */
  targetColumn: string;
  /** The upsert key: a row with the same target, name and identifier is replaced. */
  conflict: string;
}

const TABLES: Record<AnnotationKind, AnnotationTable> = {
  span: { table: 'span_annotations', targetColumn: 'span_rowid', conflict: 'name, span_rowid, identifier' },
  trace: {
    table: 'trace_annotations',
    targetColumn: 'trace_rowid',
    conflict: 'name, trace_rowid, identifier',
  },
  session: {
    table: 'project_session_annotations',
    targetColumn: 'project_session_id',
    conflict: 'name, project_session_id, identifier',
  },
  document: {
    table: 'document_annotations',
    targetColumn: 'span_rowid',
    conflict: 'name, span_rowid, document_position, identifier',
  },
};

/** How many pending annotations one resolution pass applies, at most. */
export const PENDING_BATCH = 500;
/** Annotations waiting for their targets, at most (on one database, from every server); past it: 503. */
export const PENDING_LIMIT = 10_000;
/** How long an annotation waits for its target before it is dropped (microseconds: one hour). */
export const PENDING_TTL_MICROS = 60 * 60 * 1_000_000;

/** The instant before which waiting annotations have expired, in the stores' microseconds. */
export function pendingExpiry(nowMicros: number = Date.now() * 1000): number {
  return nowMicros - PENDING_TTL_MICROS;
}

/** A target row found by the user's id; for documents, how many retrieval documents the span has. */
export interface AnnotationTarget {
  id: number;
  documents?: number;
}

/** A row of pending_annotations with the row id of its (arrived) target. */
export interface PendingAnnotationRow {
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

/**
 * The values of an annotation row, in the order of annotationColumns without its constant
 * source and user_id; documentPosition only for documents.
 */
export interface AnnotationRow {
  target: number;
  documentPosition?: number;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  metadata: string;
  annotatorKind: AnnotationInput['annotatorKind'];
  identifier: string;
  createdAt: number;
  updatedAt: number;
}

/** Columns of an annotation row; documents have a position, others not. */
const annotationColumns = (kind: AnnotationKind) =>
  `${TABLES[kind].targetColumn}, ${kind === 'document' ? 'document_position, ' : ''}name, label, score,
   explanation, metadata, annotator_kind, identifier, source, user_id, created_at, updated_at`;

/**
 * INSERT … ON CONFLICT … DO UPDATE of one row that keeps the row id, RETURNING id. `values`: the
 * placeholders of an AnnotationRow's fields, in order, with 'API', NULL before createdAt.
 */
export const annotationUpsertSql = (kind: AnnotationKind, values: string) =>
  `INSERT INTO ${TABLES[kind].table} (${annotationColumns(kind)}) VALUES (${values})
   ON CONFLICT (${TABLES[kind].conflict}) DO UPDATE SET label = excluded.label, score = excluded.score,
     explanation = excluded.explanation, metadata = excluded.metadata,
     annotator_kind = excluded.annotator_kind, source = excluded.source, user_id = excluded.user_id,
     updated_at = excluded.updated_at
   RETURNING id`;

/** A plain INSERT of one row (a note without identifier), RETURNING id; `values` as for upserts. */
export const annotationInsertSql = (kind: AnnotationKind, values: string) =>
  `INSERT INTO ${TABLES[kind].table} (${annotationColumns(kind)}) VALUES (${values}) RETURNING id`;

/** What an annotation says, as both its row and its pending row store it. */
export function annotationValues(a: AnnotationInput) {
  return {
    name: a.name,
    label: a.label,
    score: a.score,
    explanation: a.explanation,
    metadata: JSON.stringify(a.metadata),
    annotatorKind: a.annotatorKind,
    identifier: a.identifier,
  };
}

export function annotationRow(
  kind: AnnotationKind,
  target: number,
  a: AnnotationInput,
  createdAt: number,
  updatedAt: number,
): AnnotationRow {
  return {
    target,
    ...(kind === 'document' ? { documentPosition: a.documentPosition ?? 0 } : {}),
    ...annotationValues(a),
    createdAt,
    updatedAt,
  };
}

/**
 * Why a `sync` upsert must store nothing: a target that does not exist, or a document position
 * outside the span's documents; null when every annotation can be stored.
 */
export function rejectSyncUpsert(
  kind: AnnotationKind,
  annotations: readonly AnnotationInput[],
  targets: ReadonlyMap<string, AnnotationTarget>,
): UpsertAnnotationsResult | null {
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
  return null;
}

/** A note as an annotation; without identifier it gets a new one (a new note, never a replacement). */
export function noteAnnotation(
  kind: 'span' | 'trace' | 'session',
  target: string,
  text: string,
  identifier: string,
): AnnotationInput {
  return {
    target,
    name: 'note',
    annotatorKind: 'HUMAN',
    label: null,
    score: null,
    explanation: text,
    metadata: {},
    identifier: identifier || `px-${kind}-note:${randomUUID()}`,
  };
}

/** The annotation a pending row holds. */
export function pendingAnnotation(row: PendingAnnotationRow): AnnotationInput {
  return {
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
}
