/**
 * Reading annotations back (span, trace and session annotations alike): ids in batches of 100, each
 * batch's cursors followed, and Phoenix's DataFrame form (one row per annotation, `result` flattened
 * into `result.label` / `result.score` / `result.explanation`, `name` as `annotation_name`).
 */
import type { DataFrame } from 'nodejs-polars';
import { projectIdentifier } from './arguments.js';
import { InvalidArgumentError } from './errors.js';
import { type DataFrameInput, isMissing, type Row, rowsOf } from './frames/input.js';
import { type Column, dataFrameOf, loadPolars } from './frames/output.js';
import { collectPages, type Page } from './pagination.js';
import type { ProjectSelector } from './types.js';

/** Ids per request, as Phoenix's clients send them. */
export const MAX_IDS_PER_REQUEST = 100;

/** Annotations per page, as Phoenix's clients ask for them. */
const PAGE_SIZE = 1000;

/** Which annotations to read, besides their targets. */
export type AnnotationReadOptions = ProjectSelector & {
  /** Only annotations with these names. */
  includeAnnotationNames?: readonly string[];
  /** Leave out annotations with these names (default: `note`). */
  excludeAnnotationNames?: readonly string[];
};

/** The query of one page of a `GET /v1/projects/{project}/*_annotations` route, less the target ids. */
export interface AnnotationPageQuery {
  limit: number;
  cursor?: string;
  include_annotation_names?: string[];
  exclude_annotation_names?: string[];
}

/**
 * How a resource reads its annotations back (e.g. spans): the options that name the targets, and the
 * route that answers their annotations.
 */
export interface AnnotationSource<Item, A> {
  /** The option of target ids, e.g. `spanIds`. */
  idsOption: string;
  /** The option of targets as the resource returns them, e.g. `spans`. */
  itemsOption: string;
  /** The id of such a target (blank or missing ones are dropped). */
  itemId(item: Item): unknown;
  /** The option of a targets DataFrame, e.g. `spansDataframe`. */
  frameOption: string;
  /** The targets DataFrame's id columns, the first present read, e.g. `context.span_id`, `span_id`. */
  frameColumns: readonly string[];
  /** The target id column, first in the annotations DataFrame, e.g. `span_id`. */
  idColumn: string;
  /** Asks the target's route for one batch of ids and one page. */
  fetchPage(projectIdentifier: string, batch: string[], query: AnnotationPageQuery): Promise<Page<A>>;
}

/** The read options with the targets under the source's option names. */
type TargetedReadOptions = AnnotationReadOptions & { readonly [option: string]: unknown };

/** The annotations of the targets given by exactly one of the source's ids or items options. */
export function getAnnotations<Item, A>(
  source: AnnotationSource<Item, A>,
  options: TargetedReadOptions,
): Promise<A[]> {
  return readAnnotations(targetIds(source, options, false), options, source.fetchPage);
}

/**
 * The same as a DataFrame (see annotationColumns), the targets also given by a DataFrame;
 * `method` names the caller when nodejs-polars is missing.
 */
export async function getAnnotationsDataframe<Item, A extends AnnotationRecord & Row>(
  source: AnnotationSource<Item, A>,
  method: string,
  options: TargetedReadOptions,
): Promise<DataFrame> {
  await loadPolars(method);
  const annotations = await readAnnotations(targetIds(source, options, true), options, source.fetchPage);
  return annotationsDataFrame(method, source.idColumn, annotations);
}

/** Target ids from exactly one of the source's options (its DataFrame option too `withFrame`). */
function targetIds<Item, A>(
  source: AnnotationSource<Item, A>,
  options: TargetedReadOptions,
  withFrame: boolean,
): string[] {
  const readers: Record<string, (value: unknown) => readonly unknown[]> = {
    [source.idsOption]: (ids) => ids as readonly string[],
    [source.itemsOption]: (items) => (items as readonly Item[]).map((item) => source.itemId(item)),
  };
  if (withFrame) {
    readers[source.frameOption] = (frame) =>
      frameColumn(frame as DataFrameInput, source.frameColumns, source.frameOption);
  }
  return idsFromExactlyOne(options, readers);
}

/**
 * The annotations of `ids` in the selected project; `fetchPage` asks the target's route for one
 * batch of ids and one page.
 */
function readAnnotations<T>(
  ids: readonly string[],
  options: AnnotationReadOptions,
  fetchPage: (projectIdentifier: string, batch: string[], query: AnnotationPageQuery) => Promise<Page<T>>,
): Promise<T[]> {
  const project = projectIdentifier(options);
  const names = annotationNameFilters(options);
  return collectAnnotations(ids, (batch, cursor) =>
    fetchPage(project, batch, { limit: PAGE_SIZE, ...names, ...(cursor ? { cursor } : {}) }),
  );
}

/** The annotations of `ids` (deduplicated), `fetchPage` asking for one batch and one cursor. */
async function collectAnnotations<T>(
  ids: readonly string[],
  fetchPage: (batch: string[], cursor: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += MAX_IDS_PER_REQUEST) {
    const batch = unique.slice(i, i + MAX_IDS_PER_REQUEST);
    out.push(...(await collectPages((cursor) => fetchPage(batch, cursor))));
  }
  return out;
}

/**
 * Target ids from exactly one of the options `readers` name (e.g. `spanIds`, `spans`,
 * `spansDataframe`), read by its reader; blank and missing ids are dropped.
 */
function idsFromExactlyOne(
  options: { readonly [option: string]: unknown },
  readers: Record<string, (value: unknown) => readonly unknown[]>,
): string[] {
  const given = Object.entries(readers).filter(([option]) => options[option] != null);
  const [only] = given;
  if (!only || given.length !== 1) {
    throw new InvalidArgumentError(`Give exactly one of ${Object.keys(readers).join(', ')}`);
  }
  const [option, read] = only;
  return read(options[option]).filter((id): id is string => typeof id === 'string' && id.trim() !== '');
}

/** The values of the first of `columns` the frame has. */
function frameColumn(frame: DataFrameInput, columns: readonly string[], what: string): unknown[] {
  const { rows, columns: present } = rowsOf(frame, what, columns);
  const column = columns.find((c) => present.has(c));
  if (!column)
    throw new InvalidArgumentError(`${what} needs a ${columns.map((c) => `'${c}'`).join(' or ')} column`);
  return rows.map((row) => row[column]).filter((v) => !isMissing(v));
}

function annotationColumns(target: string): Column[] {
  return [
    { name: target, type: 'string' },
    { name: 'id', type: 'string' },
    { name: 'annotation_name', type: 'string' },
    { name: 'annotator_kind', type: 'string' },
    { name: 'result.label', type: 'string' },
    { name: 'result.score', type: 'float' },
    { name: 'result.explanation', type: 'string' },
    { name: 'metadata', type: 'json' },
    { name: 'identifier', type: 'string' },
    { name: 'source', type: 'string' },
    { name: 'user_id', type: 'string' },
    { name: 'created_at', type: 'datetime' },
    { name: 'updated_at', type: 'datetime' },
  ];
}

/** Include / exclude filters as Phoenix's clients send them: notes left out by default. */
function annotationNameFilters(options: {
  includeAnnotationNames?: readonly string[];
  excludeAnnotationNames?: readonly string[];
}): { include_annotation_names?: string[]; exclude_annotation_names?: string[] } {
  const exclude = options.excludeAnnotationNames ?? ['note'];
  return {
    ...(options.includeAnnotationNames
      ? { include_annotation_names: [...options.includeAnnotationNames] }
      : {}),
    ...(exclude.length > 0 ? { exclude_annotation_names: [...exclude] } : {}),
  };
}

interface AnnotationRecord {
  name: string;
  result?: { label?: string | null; score?: number | null; explanation?: string | null } | null;
}

/** An annotation as a DataFrame row (see annotationColumns). */
function annotationRow({ name, result, ...rest }: AnnotationRecord & Row): Row {
  return {
    ...rest,
    annotation_name: name,
    'result.label': result?.label ?? null,
    'result.score': result?.score ?? null,
    'result.explanation': result?.explanation ?? null,
  };
}

/** Annotations as a DataFrame: the target id column first (`span_id`, `trace_id`, `session_id`). */
function annotationsDataFrame(
  method: string,
  target: string,
  annotations: readonly (AnnotationRecord & Row)[],
): Promise<DataFrame> {
  return dataFrameOf(method, annotationColumns(target), annotations.map(annotationRow));
}
