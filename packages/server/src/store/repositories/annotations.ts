import type { ReadStore } from './read-store.js';

export type ListedAnnotationKind = 'span' | 'trace' | 'session';

export interface AnnotationRow {
  id: number;
  /** The target's span_id, trace_id or session_id. */
  target: string;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  /** JSON (see parseJsonColumn). */
  metadata: unknown;
  annotator_kind: 'LLM' | 'CODE' | 'HUMAN';
  identifier: string;
  source: 'API' | 'APP';
  user_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface AnnotationQuery {
  projectId: number;
  /** span_ids, trace_ids or session_ids; null: any. */
  targets: string[] | null;
  identifiers: string[] | null;
  includeNames: string[] | null;
  excludeNames: string[] | null;
  /** Rows with an id at most this (the cursor names the first row of the page). */
  fromId: number | null;
  fetch: number;
}

const COLUMNS = [
  'a.id',
  'a.name',
  'a.label',
  'a.score',
  'a.explanation',
  'a.metadata',
  'a.annotator_kind',
  'a.identifier',
  'a.source',
  'a.user_id',
  'a.created_at',
  'a.updated_at',
] as const;

/** A project's annotations of one kind, newest first (by id). */
export function listAnnotations(
  { db }: ReadStore,
  kind: ListedAnnotationKind,
  q: AnnotationQuery,
): Promise<AnnotationRow[]> {
  const base = () => {
    switch (kind) {
      case 'span':
        return db
          .selectFrom('span_annotations as a')
          .innerJoin('spans as s', 's.id', 'a.span_rowid')
          .innerJoin('traces as t', 't.id', 's.trace_rowid')
          .select([...COLUMNS, 's.span_id as target'])
          .where('t.project_id', '=', q.projectId)
          .$if(!!q.targets, (b) => b.where('s.span_id', 'in', q.targets!));
      case 'trace':
        return db
          .selectFrom('trace_annotations as a')
          .innerJoin('traces as t', 't.id', 'a.trace_rowid')
          .select([...COLUMNS, 't.trace_id as target'])
          .where('t.project_id', '=', q.projectId)
          .$if(!!q.targets, (b) => b.where('t.trace_id', 'in', q.targets!));
      case 'session':
        return db
          .selectFrom('project_session_annotations as a')
          .innerJoin('project_sessions as ps', 'ps.id', 'a.project_session_id')
          .select([...COLUMNS, 'ps.session_id as target'])
          .where('ps.project_id', '=', q.projectId)
          .$if(!!q.targets, (b) => b.where('ps.session_id', 'in', q.targets!));
    }
  };
  return (base() as ReturnType<typeof annotationsBase>)
    .$if(!!q.identifiers, (b) => b.where('a.identifier', 'in', q.identifiers!))
    .$if(!!q.includeNames?.length, (b) => b.where('a.name', 'in', q.includeNames!))
    .$if(!!q.excludeNames?.length, (b) => b.where('a.name', 'not in', q.excludeNames!))
    .$if(q.fromId !== null, (b) => b.where('a.id', '<=', q.fromId!))
    .orderBy('a.id', 'desc')
    .limit(q.fetch)
    .execute() as Promise<AnnotationRow[]>;
}

// The three joins select the same columns; typed through one of them for the shared clauses.
function annotationsBase(store: ReadStore) {
  return store.db
    .selectFrom('span_annotations as a')
    .innerJoin('spans as s', 's.id', 'a.span_rowid')
    .select([...COLUMNS, 's.span_id as target']);
}

/** Whether any of these span_ids, trace_ids or session_ids exists in the project. */
export async function anyTargetExists(
  { db }: ReadStore,
  kind: ListedAnnotationKind,
  projectId: number,
  targets: string[],
): Promise<boolean> {
  const row =
    kind === 'span'
      ? await db
          .selectFrom('spans as s')
          .innerJoin('traces as t', 't.id', 's.trace_rowid')
          .select('s.id')
          .where('s.span_id', 'in', targets)
          .where('t.project_id', '=', projectId)
          .limit(1)
          .executeTakeFirst()
      : kind === 'trace'
        ? await db
            .selectFrom('traces')
            .select('id')
            .where('trace_id', 'in', targets)
            .where('project_id', '=', projectId)
            .limit(1)
            .executeTakeFirst()
        : await db
            .selectFrom('project_sessions')
            .select('id')
            .where('session_id', 'in', targets)
            .where('project_id', '=', projectId)
            .limit(1)
            .executeTakeFirst();
  return row !== undefined;
}
