import { randomUUID } from 'node:crypto';
import pl from 'nodejs-polars';
import type { DimensionValues, EmbeddingVectors, TimeRange } from '../metrics/types.js';
import { Schema, type SchemaInit } from '../schema/schema.js';
import { readNumberLists, readScalar, readStringLists, readText } from './columns.js';
import { columnKind, isNumericKind } from './dtypes.js';
import { InferencesError, type InferencesProblem } from './errors.js';
import { GENERATED_ID_COLUMN, GENERATED_TIMESTAMP_COLUMN, layOut } from './layout.js';
import { readDataFile } from './load.js';
import { isIdentity, permuteArray, permuteValues, permuteVectorsInPlace, stableOrder } from './order.js';
import { recordsToDataFrame } from './records.js';
import { microsSeries, readTimestamps } from './timestamps.js';
import { validateInferences } from './validation.js';
import { readVectors, VectorScans, vectorProblems } from './vectors.js';

/** What an inference set is built from: a nodejs-polars DataFrame, or an array of records (one object a row). */
export type InferencesData = pl.DataFrame | readonly Readonly<Record<string, unknown>>[];

/**
 * The prefix of a generated name (`phoenix_inferences_<uuid4>`): Phoenix's, kept so that a set
 * named by default shows as "primary" / "reference", as Phoenix shows it.
 */
export const GENERATED_NAME_PREFIX = 'phoenix_inferences_';

/** Phoenix's roles of a scalar column (a column with two roles keeps the first in this order). */
export type ScalarRole =
  | 'prediction_label'
  | 'prediction_score'
  | 'actual_label'
  | 'actual_score'
  | 'feature'
  | 'tag';

export interface ScalarColumn {
  readonly name: string;
  readonly role: ScalarRole;
  /** Row i is the set's row i in time order. */
  readonly values: DimensionValues;
}

export type EmbeddingRole = 'feature' | 'prompt' | 'response';

export interface EmbeddingColumn {
  /** The embedding feature's name (its key in `embeddingFeatureColumnNames`), `prompt` or `response`. */
  readonly name: string;
  readonly role: EmbeddingRole;
  readonly vectorColumnName: string;
  readonly rawDataColumnName?: string | undefined;
  readonly linkToDataColumnName?: string | undefined;
  readonly vectors: EmbeddingVectors;
}

/** The corpus documents each query retrieved (a retrieval prompt), row by row in time order. */
export interface Retrievals {
  readonly documentIdsColumnName?: string | undefined;
  readonly scoresColumnName?: string | undefined;
  /** Null where the row has no list (or the Schema names no ids column). */
  readonly documentIds: readonly (readonly string[] | null)[];
  readonly scores: readonly (Float64Array | null)[];
}

const ROLE_ORDER: readonly [ScalarRole, keyof Schema][] = [
  ['prediction_label', 'predictionLabelColumnName'],
  ['prediction_score', 'predictionScoreColumnName'],
  ['actual_label', 'actualLabelColumnName'],
  ['actual_score', 'actualScoreColumnName'],
  ['feature', 'featureColumnNames'],
  ['tag', 'tagColumnNames'],
];

/**
 * An inference set (Phoenix's `Inferences`): a model's inputs and outputs in a table that a Schema
 * describes, validated (every problem at once, in an `InferencesError`), with Phoenix's rules
 * applied: exclusions, feature discovery, prediction ids (uuid4s when none; numbers made strings),
 * timestamps normalised to UTC (see `readTimestamps`; "now" for every row when none), rows sorted
 * by time (stably). The columns are held as the metric engine reads them.
 */
export class Inferences {
  readonly name: string;
  /** The Schema as applied: features discovered, exclusions removed, id and timestamp columns named. */
  readonly schema: Schema;
  readonly rowCount: number;
  /** Epoch milliseconds (fractional: microseconds kept), ascending. */
  readonly timestamps: Float64Array;
  readonly predictionIds: readonly (string | null)[];
  readonly scalarColumns: readonly ScalarColumn[];
  readonly embeddings: readonly EmbeddingColumn[];
  readonly retrievals: Retrievals | undefined;
  /** Phoenix's warnings: excluded names not in the data, embedding columns excluded one by one. */
  readonly warnings: readonly string[];
  readonly #texts = new Map<string, readonly (string | null)[]>();
  readonly #unsorted: pl.DataFrame;
  readonly #timeColumn: string;
  /** Row i in time order is row #order[i] of the data; undefined when the data was in time order. */
  readonly #order: Uint32Array | undefined;
  #sorted: pl.DataFrame | undefined;

  constructor(data: InferencesData, schema: Schema | SchemaInit, name?: string) {
    const givenSchema = schema instanceof Schema ? schema : new Schema(schema);
    const frame = toDataFrame(data);
    const scans = new VectorScans(frame);
    const problems = validateInferences(frame, givenSchema, scans);
    const layout = layOut(givenSchema, frame.columns);
    problems.push(...discoveredVectorProblems(frame, givenSchema, layout.schema, scans));
    const timestampColumn = layout.schema.timestampColumnName;
    const timestamps =
      timestampColumn !== undefined && frame.columns.includes(timestampColumn)
        ? readTimestamps(frame.getColumn(timestampColumn))
        : undefined;
    if (timestamps) problems.push(...timestamps.problems);
    if (problems.length > 0) throw new InferencesError(problems);

    let applied = layout.schema;
    let table = frame.select(...layout.keptColumns);
    const idColumn = applied.predictionIdColumnName;
    if (idColumn === undefined) {
      applied = applied.with({ predictionIdColumnName: GENERATED_ID_COLUMN });
      const ids = Array.from({ length: table.height }, () => randomUUID());
      table = table.withColumn(pl.Series(GENERATED_ID_COLUMN, ids, pl.String)) as pl.DataFrame;
    } else if (isNumericKind(columnKind(table.getColumn(idColumn).dtype))) {
      table = table.withColumn(table.getColumn(idColumn).cast(pl.String));
    }
    const timeColumn = timestampColumn ?? GENERATED_TIMESTAMP_COLUMN;
    if (timestampColumn === undefined) applied = applied.with({ timestampColumnName: timeColumn });
    const micros = timestamps?.micros ?? new Float64Array(table.height).fill(Date.now() * 1000);
    table = table.withColumn(microsSeries(timeColumn, micros));

    // The columns are read in the data's order and put in time order in JS: sorting the DataFrame
    // (its vectors above all) costs more than the load itself, so `dataframe` is sorted on first use.
    const order = stableOrder(micros);
    const sort = isIdentity(order) ? undefined : order;
    this.#unsorted = table;
    this.#timeColumn = timeColumn;
    this.#order = sort;
    this.name = name ?? `${GENERATED_NAME_PREFIX}${randomUUID()}`;
    this.schema = applied;
    this.rowCount = table.height;
    this.warnings = Object.freeze(layout.warnings);
    const millis = new Float64Array(micros.length);
    for (let i = 0; i < millis.length; i++) millis[i] = micros[sort ? sort[i]! : i]! / 1000;
    this.timestamps = millis;
    this.predictionIds = Object.freeze(
      this.#inTimeOrder(readText(table.getColumn(applied.predictionIdColumnName!))),
    );
    const { scalars, vectorFeatures } = this.#readScalars(table, applied);
    this.scalarColumns = Object.freeze(scalars);
    this.embeddings = Object.freeze(
      readEmbeddings(scans, applied, vectorFeatures).map((embedding) =>
        sort
          ? Object.freeze({ ...embedding, vectors: permuteVectorsInPlace(embedding.vectors, sort) })
          : embedding,
      ),
    );
    const retrievals = readRetrievals(table, applied);
    this.retrievals =
      retrievals &&
      Object.freeze({
        ...retrievals,
        documentIds: this.#inTimeOrder(retrievals.documentIds),
        scores: this.#inTimeOrder(retrievals.scores),
      });
  }

  /** The data as applied, sorted by time (stably): timestamps as Datetime(us, UTC), ids as strings (for exports). */
  get dataframe(): pl.DataFrame {
    if (this.#sorted === undefined) {
      this.#sorted = this.#order
        ? this.#unsorted.sort({ by: this.#timeColumn, maintainOrder: true })
        : this.#unsorted;
    }
    return this.#sorted;
  }

  #inTimeOrder<T>(values: readonly T[]): T[] {
    return this.#order ? permuteArray(values, this.#order) : [...values];
  }

  /** Reads a Parquet file (timestamps keep their microseconds and time zone). */
  static async fromParquet(path: string, schema: Schema | SchemaInit, name?: string): Promise<Inferences> {
    return new Inferences(await readDataFile(path, 'parquet'), schema, name);
  }

  /** Reads a CSV file with a header row (timestamps as numbers or ISO 8601 text). */
  static async fromCsv(path: string, schema: Schema | SchemaInit, name?: string): Promise<Inferences> {
    return new Inferences(await readDataFile(path, 'csv'), schema, name);
  }

  /** Reads a file of JSON lines, one object a row. */
  static async fromJsonl(path: string, schema: Schema | SchemaInit, name?: string): Promise<Inferences> {
    return new Inferences(await readDataFile(path, 'jsonl'), schema, name);
  }

  /** Phoenix's time range of the set: [start floored to the minute, (last + 1 minute) floored); [now, now) when empty. */
  get timeRange(): TimeRange {
    if (this.rowCount === 0) {
      const now = Date.now();
      return { start: now, end: now };
    }
    return {
      start: floorToMinute(this.timestamps[0]!),
      end: floorToMinute(this.timestamps[this.rowCount - 1]! + 60_000),
    };
  }

  /** True when the name was generated (Phoenix then shows the set by its role). */
  get hasGeneratedName(): boolean {
    return this.name.startsWith(GENERATED_NAME_PREFIX);
  }

  scalar(name: string): ScalarColumn | undefined {
    return this.scalarColumns.find((column) => column.name === name);
  }

  embedding(name: string): EmbeddingColumn | undefined {
    return this.embeddings.find((column) => column.name === name);
  }

  /** Any column as text, in time order (raw data, links, a text response); undefined when it is not in the set. */
  text(column: string): readonly (string | null)[] | undefined {
    let texts = this.#texts.get(column);
    if (texts === undefined && this.#unsorted.columns.includes(column)) {
      texts = Object.freeze(this.#inTimeOrder(readText(this.#unsorted.getColumn(column))));
      this.#texts.set(column, texts);
    }
    return texts;
  }

  toString(): string {
    return `<Inferences "${this.name}">`;
  }

  #readScalars(table: pl.DataFrame, schema: Schema) {
    const scalars: ScalarColumn[] = [];
    const vectorFeatures: { name: string; role: 'feature' | 'tag' }[] = [];
    const seen = new Set<string>();
    for (const [role, field] of ROLE_ORDER) {
      const value = schema[field] as string | readonly string[] | undefined;
      const names = value === undefined ? [] : typeof value === 'string' ? [value] : value;
      for (const name of names) {
        if (seen.has(name)) continue;
        seen.add(name);
        const series = table.getColumn(name);
        if ((role === 'feature' || role === 'tag') && columnKind(series.dtype) === 'list') {
          vectorFeatures.push({ name, role });
        } else {
          const values = readScalar(series);
          scalars.push(
            Object.freeze({ name, role, values: this.#order ? permuteValues(values, this.#order) : values }),
          );
        }
      }
    }
    return { scalars, vectorFeatures };
  }
}

function toDataFrame(data: InferencesData): pl.DataFrame {
  if (Array.isArray(data)) return recordsToDataFrame(data);
  if (typeof (data as { getColumns?: unknown } | null)?.getColumns === 'function')
    return data as pl.DataFrame;
  throw new InferencesError([
    {
      code: 'unsupported_data',
      message: 'the data of an inference set must be a nodejs-polars DataFrame or an array of records',
    },
  ]);
}

/** Phoenix treats a list-valued feature as an embedding; discovered ones are checked here (named ones in validation). */
function discoveredVectorProblems(
  frame: pl.DataFrame,
  given: Schema,
  applied: Schema,
  scans: VectorScans,
): InferencesProblem[] {
  const named = new Set(given.featureColumnNames ?? []);
  const problems: InferencesProblem[] = [];
  for (const column of applied.featureColumnNames ?? []) {
    if (named.has(column)) continue;
    const series = frame.getColumn(column);
    if (columnKind(series.dtype) === 'list') {
      problems.push(
        ...vectorProblems(scans.get(column), `the vector feature "${column}"`, 'featureColumnNames'),
      );
    }
  }
  return problems;
}

function readEmbeddings(
  scans: VectorScans,
  schema: Schema,
  vectorFeatures: readonly { name: string }[],
): EmbeddingColumn[] {
  const embeddings: EmbeddingColumn[] = [];
  const add = (
    name: string,
    role: EmbeddingRole,
    columns: { vectorColumnName: string; rawDataColumnName?: string; linkToDataColumnName?: string },
  ) => {
    embeddings.push(
      Object.freeze({
        name,
        role,
        vectorColumnName: columns.vectorColumnName,
        rawDataColumnName: columns.rawDataColumnName,
        linkToDataColumnName: columns.linkToDataColumnName,
        vectors: readVectors(scans.get(columns.vectorColumnName)),
      }),
    );
  };
  for (const [name, columns] of Object.entries(schema.embeddingFeatureColumnNames ?? {}))
    add(name, 'feature', columns);
  for (const { name } of vectorFeatures) add(name, 'feature', { vectorColumnName: name });
  if (schema.promptColumnNames) add('prompt', 'prompt', schema.promptColumnNames);
  const response = schema.responseColumnNames;
  if (response !== undefined && typeof response !== 'string') add('response', 'response', response);
  return embeddings;
}

function readRetrievals(table: pl.DataFrame, schema: Schema): Retrievals | undefined {
  const prompt = schema.promptColumnNames;
  const idsColumn = prompt?.contextRetrievalIdsColumnName;
  const scoresColumn = prompt?.contextRetrievalScoresColumnName;
  if (idsColumn === undefined && scoresColumn === undefined) return undefined;
  const none = () => new Array(table.height).fill(null);
  return Object.freeze({
    documentIdsColumnName: idsColumn,
    scoresColumnName: scoresColumn,
    documentIds: idsColumn === undefined ? none() : readStringLists(table.getColumn(idsColumn)),
    scores: scoresColumn === undefined ? none() : readNumberLists(table.getColumn(scoresColumn)),
  });
}

export function floorToMinute(epochMillis: number): number {
  return Math.floor(epochMillis / 60_000) * 60_000;
}
