import { parseJsonColumn } from '../store/repositories/json.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { globalId, iso } from './ids.js';
import type { AnnotationTargetKind, AnnotatorKind, UiAnnotation, UiAnnotationChip } from './wire.js';

const TABLES = {
  span: { table: 'span_annotations', column: 'span_rowid', type: 'SpanAnnotation' },
  trace: { table: 'trace_annotations', column: 'trace_rowid', type: 'TraceAnnotation' },
  session: {
    table: 'project_session_annotations',
    column: 'project_session_id',
    type: 'ProjectSessionAnnotation',
  },
} as const;

/** Chips (name, label, score) of the annotations on these rows, notes excluded, by target row id. */
export async function chipsBy(
  store: ReadStore,
  kind: AnnotationTargetKind,
  rowIds: readonly number[],
): Promise<Map<number, UiAnnotationChip[]>> {
  const chips = new Map<number, UiAnnotationChip[]>();
  if (rowIds.length === 0) return chips;
  const { table, column } = TABLES[kind];
  const rows = (await store.db
    .selectFrom(table)
    .where(column, 'in', [...rowIds])
    .where('name', '<>', 'note')
    .select([`${column} as target`, 'name', 'label', 'score', 'annotator_kind'])
    .orderBy('name')
    .execute()) as {
    target: number;
    name: string;
    label: string | null;
    score: number | null;
    annotator_kind: AnnotatorKind;
  }[];
  for (const row of rows) {
    const list = chips.get(row.target) ?? [];
    list.push({ name: row.name, label: row.label, score: row.score, annotator_kind: row.annotator_kind });
    chips.set(row.target, list);
  }
  return chips;
}

/** Every annotation (notes included) on these rows, oldest first; `targetKey` names each row for clients. */
export async function annotationsOf(
  store: ReadStore,
  kind: AnnotationTargetKind,
  targetKey: Map<number, string>,
): Promise<UiAnnotation[]> {
  if (targetKey.size === 0) return [];
  const { table, column, type } = TABLES[kind];
  const rows = (await store.db
    .selectFrom(table)
    .where(column, 'in', [...targetKey.keys()])
    .select([
      'id',
      `${column} as target`,
      'name',
      'label',
      'score',
      'explanation',
      'metadata',
      'annotator_kind',
      'identifier',
      'source',
      'created_at',
      'updated_at',
    ])
    .orderBy('created_at')
    .orderBy('id')
    .execute()) as {
    id: number;
    target: number;
    name: string;
    label: string | null;
    score: number | null;
    explanation: string | null;
    metadata: string;
    annotator_kind: AnnotatorKind;
    identifier: string;
    source: 'API' | 'APP';
    created_at: number;
    updated_at: number;
  }[];
  return rows.map((row) => ({
    id: globalId(type, row.id),
    target_kind: kind,
    target: targetKey.get(row.target) ?? '',
    name: row.name,
    label: row.label,
    score: row.score,
    explanation: row.explanation,
    metadata: parseJsonColumn<Record<string, unknown>>(row.metadata) ?? {},
    annotator_kind: row.annotator_kind,
    identifier: row.identifier,
    source: row.source,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }));
}
