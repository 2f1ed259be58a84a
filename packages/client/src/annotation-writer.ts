/**
 * Writing annotations, whatever they annotate (spans, documents, traces, sessions): one, many, or a
 * DataFrame's rows in chunks of 100, each checked before anything is sent. A resource describes its
 * target once (an AnnotationTarget) and its methods delegate here.
 */
import { type AnnotationBody, type AnnotationFields, annotationBodies } from './annotations.js';
import {
  annotationsFromFrame,
  chunks,
  type FrameAnnotationOptions,
  type IdColumn,
} from './frames/annotation-rows.js';
import type { DataFrameInput } from './frames/input.js';

export interface Inserted {
  id: string;
}

export interface AnnotationTarget<Input extends AnnotationFields, Wire> {
  /** The list's name in error messages, e.g. `spanAnnotations`. */
  listName: string;
  /** The target's part of the wire form, e.g. `{ span_id }`; `where` prefixes error messages. */
  wire(item: Input, where: string): Wire;
  /** The DataFrame columns that name the target. */
  idColumns: readonly IdColumn[];
  /** The target's part of an Input, from a DataFrame row's ids. */
  fromIds(ids: Record<string, string | number>): Omit<Input, keyof AnnotationFields>;
  /** Sends one request; with `sync` the server answers the inserted ids. */
  post(data: (AnnotationBody & Wire)[], sync: boolean): Promise<Inserted[]>;
}

/** The `sync` query parameter as Phoenix's clients send it: only when true. */
export function syncQuery<Query extends { sync: boolean }>(sync: boolean): Query {
  return (sync ? { sync: true } : {}) as Query;
}

export async function logAnnotations<Input extends AnnotationFields, Wire>(
  target: AnnotationTarget<Input, Wire>,
  items: readonly Input[],
  sync: boolean,
): Promise<Inserted[] | undefined> {
  const data = annotationBodies(items, target.listName, (item, where) => target.wire(item, where));
  const inserted = await target.post(data, sync);
  return sync ? inserted : undefined;
}

export async function logAnnotationsFrame<Input extends AnnotationFields, Wire>(
  target: AnnotationTarget<Input, Wire>,
  dataframe: DataFrameInput,
  globals: FrameAnnotationOptions,
  sync: boolean,
): Promise<Inserted[] | undefined> {
  const items = annotationsFromFrame(dataframe, target.idColumns, globals).map(
    ({ ids, fields }) => ({ ...fields, ...target.fromIds(ids) }) as Input,
  );
  const inserted: Inserted[] = [];
  for (const chunk of chunks(items)) inserted.push(...((await logAnnotations(target, chunk, sync)) ?? []));
  return sync ? inserted : undefined;
}

/** What the DataFrame logging methods take. */
export type FrameOptions = { dataframe: DataFrameInput } & FrameAnnotationOptions;
