/**
 * Annotations from a DataFrame (or rows), with the rules of Phoenix's `log_*_annotations_dataframe`:
 * a `name` or an `annotation_name` column (not both) or a global name; an `annotator_kind` column or
 * a global kind (default HUMAN); the target's id column(s); at least one of the `label`, `score`,
 * `explanation` columns; optional `metadata` and `identifier`. Global values win over columns.
 * Every row is checked before anything is sent.
 */
import {
  ANNOTATOR_KINDS,
  type AnnotationFields,
  annotationBody,
  checkAnnotatorKind,
} from '../annotations.js';
import { FawkesClientError, InvalidArgumentError } from '../errors.js';
import type { AnnotatorKind } from '../types.js';
import { type DataFrameInput, isMissing, type Row, rowsOf } from './input.js';

/** Phoenix's clients send DataFrame annotations this many rows per request. */
export const ANNOTATION_CHUNK_SIZE = 100;

/** One id column of the target, e.g. `span_id` (else `context.span_id`). */
export interface IdColumn {
  name: string;
  /** A column read when `name` is absent (never both). */
  fallback?: string;
  kind: 'string' | 'integer';
}

/**
 * The column that stands for a pandas index when a target has a single id column: what
 * `reset_index()` names an unnamed index. Read only when neither the id column nor its fallback is
 * there.
 */
export const INDEX_COLUMN = 'index';

export interface FrameAnnotationOptions {
  /** A name for every row (wins over the `name` / `annotation_name` column). */
  annotationName?: string;
  /** An annotator kind for every row (wins over the `annotator_kind` column). */
  annotatorKind?: AnnotatorKind;
}

const RESULT_COLUMNS = ['label', 'score', 'explanation'] as const;

function checkColumnValues(rows: Row[], column: string, kind: IdColumn['kind'] | 'name'): void {
  for (const row of rows) {
    const value = row[column];
    if (isMissing(value)) throw new InvalidArgumentError(`${column} values cannot be null`);
    if (kind === 'integer') {
      if (!Number.isInteger(typeof value === 'bigint' ? Number(value) : value)) {
        throw new InvalidArgumentError(`${column} values must be whole numbers`);
      }
    } else if (typeof value !== 'string') {
      throw new InvalidArgumentError(`${column} values must be strings`);
    } else if (value.trim() === '') {
      throw new InvalidArgumentError(`${column} values must be non-empty strings`);
    }
  }
}

/** The column each id is read from. */
function idSources(columns: Set<string>, ids: readonly IdColumn[]): Map<IdColumn, string> {
  const sources = new Map<IdColumn, string>();
  const missing: string[] = [];
  for (const id of ids) {
    const hasPrimary = columns.has(id.name);
    const hasFallback = id.fallback !== undefined && columns.has(id.fallback);
    if (hasPrimary && hasFallback) {
      throw new InvalidArgumentError(
        `DataFrame cannot have both primary and fallback ID columns: '${id.name}' and '${id.fallback}'`,
      );
    }
    if (hasPrimary) sources.set(id, id.name);
    else if (hasFallback) sources.set(id, id.fallback as string);
    else missing.push(id.fallback ? `'${id.name}' or '${id.fallback}'` : `'${id.name}'`);
  }
  if (missing.length === 0) return sources;
  const [only] = ids;
  if (ids.length === 1 && only && columns.has(INDEX_COLUMN)) return new Map([[only, INDEX_COLUMN]]);
  throw new InvalidArgumentError(
    ids.length === 1
      ? `DataFrame must have a ${missing[0]} column (or an '${INDEX_COLUMN}' column)`
      : `DataFrame must have all of its ID columns: ${missing.join(', ')}`,
  );
}

function text(value: unknown): string | undefined {
  if (isMissing(value)) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

function score(value: unknown): number | undefined {
  if (isMissing(value)) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim()
        ? Number(value)
        : Number.NaN;
  if (Number.isNaN(n))
    throw new InvalidArgumentError(`Score value '${String(value)}' cannot be converted to a number`);
  return n;
}

function metadata(value: unknown): Record<string, unknown> | undefined {
  if (isMissing(value)) return undefined;
  const parsed = typeof value === 'string' ? safeJson(value) : value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(
      `metadata must be an object (or its JSON text), got ${JSON.stringify(value)}`,
    );
  }
  return parsed as Record<string, unknown>;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Each row as annotation fields plus its ids (keyed by the IdColumn names), after checking the whole
 * frame. Errors name the rule or the row.
 */
export function annotationsFromFrame(
  input: DataFrameInput,
  ids: readonly IdColumn[],
  { annotationName, annotatorKind }: FrameAnnotationOptions = {},
): { ids: Record<string, string | number>; fields: AnnotationFields }[] {
  const wanted = [
    ...ids.flatMap((id) => [id.name, ...(id.fallback ? [id.fallback] : [])]),
    ...[
      INDEX_COLUMN,
      'name',
      'annotation_name',
      'annotator_kind',
      ...RESULT_COLUMNS,
      'metadata',
      'identifier',
    ],
  ];
  const { rows, columns } = rowsOf(input, 'dataframe', wanted);
  if (rows.length === 0) throw new InvalidArgumentError('DataFrame cannot be empty');
  if (columns.has('name') && columns.has('annotation_name')) {
    throw new InvalidArgumentError("DataFrame cannot have both 'name' and 'annotation_name' columns");
  }
  const nameColumn = columns.has('annotation_name')
    ? 'annotation_name'
    : columns.has('name')
      ? 'name'
      : undefined;
  if (nameColumn) checkColumnValues(rows, nameColumn, 'name');
  else if (annotationName === undefined) {
    throw new InvalidArgumentError("Give annotationName, or a 'name' or 'annotation_name' column");
  }
  const sources = idSources(columns, ids);
  for (const [id, column] of sources) checkColumnValues(rows, column, id.kind);
  if (annotatorKind !== undefined) checkAnnotatorKind(annotatorKind, '');
  if (columns.has('annotator_kind')) {
    const invalid = [...new Set(rows.map((r) => r.annotator_kind).filter((k) => !isMissing(k)))].filter(
      (k) => !ANNOTATOR_KINDS.includes(k as AnnotatorKind),
    );
    if (invalid.length > 0) {
      throw new InvalidArgumentError(
        `Invalid annotator_kind values found in DataFrame: ${invalid.map((k) => JSON.stringify(k)).join(', ')}. Must be one of: ${ANNOTATOR_KINDS.join(', ')}`,
      );
    }
  }
  if (!RESULT_COLUMNS.some((c) => columns.has(c))) {
    throw new InvalidArgumentError('DataFrame must contain at least one of: label, score, explanation');
  }

  return rows.map((row, i) => {
    try {
      const rowIds: Record<string, string | number> = {};
      for (const [id, column] of sources) {
        const value = row[column];
        rowIds[id.name] = id.kind === 'integer' ? Number(value) : String(value).trim();
      }
      const fields: AnnotationFields = {
        annotationName: annotationName ?? String(row[nameColumn as string]).trim(),
        annotatorKind: annotatorKind ?? (text(row.annotator_kind) as AnnotatorKind | undefined) ?? 'HUMAN',
        label: text(row.label) ?? null,
        score: score(row.score) ?? null,
        explanation: text(row.explanation) ?? null,
        metadata: metadata(row.metadata) ?? null,
        identifier: text(row.identifier) ?? null,
      };
      annotationBody(fields);
      return { ids: rowIds, fields };
    } catch (error) {
      if (!(error instanceof FawkesClientError)) throw error;
      throw new InvalidArgumentError(`Error processing row ${i}: ${error.message}`);
    }
  });
}

export function chunks<T>(items: readonly T[], size = ANNOTATION_CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
