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

/** The `sync` flag of annotation writes: with `true` the server answers the inserted ids. */
export type SyncFlag = boolean | undefined;

/** The `sync` option of annotation writes. */
export interface SyncOption<S extends SyncFlag> {
  sync?: S;
}

/**
 * What an annotation write answers: `T` with `sync: true`, `undefined` with `sync: false` or none,
 * either when the flag is only known at run time (a `boolean`).
 */
export type Synced<S extends SyncFlag, T> = [S] extends [true]
  ? T
  : [S] extends [false | undefined]
    ? undefined
    : T | undefined;

export interface AnnotationTarget<Input extends AnnotationFields, Wire, T extends Inserted = Inserted> {
  /** The list's name in error messages, e.g. `spanAnnotations`. */
  listName: string;
  /** The target's part of the wire form, e.g. `{ span_id }`; `where` prefixes error messages. */
  wire(item: Input, where: string): Wire;
  /** The DataFrame columns that name the target. */
  idColumns: readonly IdColumn[];
  /** The target's part of an Input, from a DataFrame row's ids. */
  fromIds(ids: Record<string, string | number>): Omit<Input, keyof AnnotationFields>;
  /** Sends one request; with `sync` the server answers the inserted ids. */
  post(data: (AnnotationBody & Wire)[], sync: boolean): Promise<T[]>;
}

/** The `sync` query parameter as Phoenix's clients send it: only when true. */
export function syncQuery<Query extends { sync: boolean }>(sync: boolean): Query {
  return (sync ? { sync: true } : {}) as Query;
}

/** Annotates one target; with `sync` answers the inserted annotation. */
export async function addAnnotation<
  Input extends AnnotationFields,
  Wire,
  T extends Inserted,
  S extends SyncFlag,
>(
  target: AnnotationTarget<Input, Wire, T>,
  { sync, ...annotation }: Input & SyncOption<S>,
): Promise<Synced<S, T>> {
  const inserted = await logAnnotations(target, [annotation as unknown as Input], sync);
  return inserted?.[0] as Synced<S, T>;
}

/** Annotates many targets in one request; with `sync` answers the inserted annotations, in order. */
export async function logAnnotations<
  Input extends AnnotationFields,
  Wire,
  T extends Inserted,
  S extends SyncFlag,
>(
  target: AnnotationTarget<Input, Wire, T>,
  items: readonly Input[],
  sync: S | undefined,
): Promise<Synced<S, T[]>> {
  const data = annotationBodies(items, target.listName, (item, where) => target.wire(item, where));
  const inserted = await target.post(data, Boolean(sync));
  return (sync ? inserted : undefined) as Synced<S, T[]>;
}

/** Annotates a DataFrame's rows, 100 per request; with `sync` answers every insert, in row order. */
export async function logAnnotationsFrame<
  Input extends AnnotationFields,
  Wire,
  T extends Inserted,
  S extends SyncFlag,
>(
  target: AnnotationTarget<Input, Wire, T>,
  { dataframe, sync, ...globals }: FrameOptions & SyncOption<S>,
): Promise<Synced<S, T[]>> {
  const items = annotationsFromFrame(dataframe, target.idColumns, globals).map(
    ({ ids, fields }) => ({ ...fields, ...target.fromIds(ids) }) as Input,
  );
  const inserted: T[] = [];
  for (const chunk of chunks(items)) inserted.push(...((await logAnnotations(target, chunk, sync)) ?? []));
  return (sync ? inserted : undefined) as Synced<S, T[]>;
}

/** What the DataFrame logging methods take. */
export type FrameOptions = { dataframe: DataFrameInput } & FrameAnnotationOptions;
