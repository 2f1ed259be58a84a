import pl from 'nodejs-polars';
import type { EmbeddingVectors } from '../metrics/types.js';
import { columnKind, describeDtype, fillNullWith, isNumericKind, listInner } from './dtypes.js';
import type { InferencesProblem } from './errors.js';

type Series = pl.Series;

/** A list column as a list column (fixed-size arrays are cast to lists, which polars explodes the same way). */
function asList(series: Series): Series {
  const variant = series.dtype.variant as string;
  if (variant === 'List') return series;
  const inner = listInner(series.dtype);
  return inner ? series.cast(pl.List(inner)) : series;
}

/** Row i's vector length; -1 where the vector is null. */
function lengthsOf(list: Series): Int32Array {
  return fillNullWith(list.lst.lengths().cast(pl.Int32), -1).toTypedArray() as Int32Array;
}

/** What one pass over a vector column finds; computed once per column (see VectorScans). */
export interface VectorScan {
  readonly series: Series;
  /** Row i's vector length; -1 where the vector is null; empty when the column is not a list. */
  readonly lengths: Int32Array;
  /** The length of every present vector, when they all have the same one (0 when none is present). */
  readonly dimension: number | undefined;
  readonly presentCount: number;
  /**
   * The elements of the present vectors, row after row (when they have one length and hold
   * numbers), as float32; exploded from a fixed-size list, which polars does without a copy
   * (exploding a variable-size list read from Parquet costs ~1 s per 100k × 768 values).
   */
  readonly elements: Series | undefined;
}

/** Scans each vector column once, for the validation and then for the reading. */
export class VectorScans {
  readonly #frame: pl.DataFrame;
  readonly #scans = new Map<string, VectorScan>();

  constructor(frame: pl.DataFrame) {
    this.#frame = frame;
  }

  get(column: string): VectorScan {
    let scan = this.#scans.get(column);
    if (!scan) {
      scan = scanVectors(this.#frame.getColumn(column));
      this.#scans.set(column, scan);
    }
    return scan;
  }
}

export function scanVectors(series: Series): VectorScan {
  if (columnKind(series.dtype) !== 'list') {
    return { series, lengths: new Int32Array(0), dimension: undefined, presentCount: 0, elements: undefined };
  }
  const lengths = lengthsOf(asList(series));
  let dimension: number | undefined = 0;
  let presentCount = 0;
  for (const length of lengths) {
    if (length < 0) continue;
    if (presentCount === 0) dimension = length;
    else if (length !== dimension) dimension = undefined;
    presentCount++;
  }
  const inner = listInner(series.dtype);
  let elements: Series | undefined;
  if (dimension !== undefined && dimension > 0 && inner && isNumericKind(columnKind(inner))) {
    const present = presentCount === series.length ? series : series.filter(series.isNotNull());
    elements = present.cast(pl.FixedSizeList(inner, dimension)).explode().cast(pl.Float32);
  }
  return { series, lengths, dimension, presentCount, elements };
}

/**
 * Phoenix's checks of one embedding's vectors (nulls allowed; otherwise lists of numbers, all of
 * one length, longer than 1), each problem naming the first bad row. `what` names the embedding
 * in messages (`embedding feature "text"`, `prompt`).
 */
export function vectorProblems(scan: VectorScan, what: string, field: string): InferencesProblem[] {
  const { series, lengths } = scan;
  const column = series.name;
  const kind = columnKind(series.dtype);
  if (kind === 'null' || series.nullCount() === series.length) return [];
  const firstPresent = () => series.isNotNull().argTrue().get(0) as number;
  if (kind !== 'list') {
    const row = firstPresent();
    return [
      {
        code: 'vector_wrong_type',
        field,
        column,
        row,
        message: `the vectors of ${what} (column "${column}") must be lists of numbers, but the column holds ${describeDtype(series.dtype)} (row ${row})`,
      },
    ];
  }
  const problems: InferencesProblem[] = [];
  const inner = listInner(series.dtype);
  const innerKind = inner ? columnKind(inner) : 'other';
  if (!isNumericKind(innerKind) && !(innerKind === 'null' && lengths.every((length) => length <= 0))) {
    const row = firstPresent();
    problems.push({
      code: 'vector_wrong_value_type',
      field,
      column,
      row,
      message: `the vectors of ${what} (column "${column}") must hold numbers, not ${inner ? describeDtype(inner) : 'values of no type'} (row ${row})`,
    });
  } else if (scan.elements === undefined || scan.elements.nullCount() > 0) {
    const nullRow = firstRowWithNullElement(asList(series), lengths);
    if (nullRow !== undefined) {
      problems.push({
        code: 'vector_wrong_value_type',
        field,
        column,
        row: nullRow,
        message: `the vectors of ${what} (column "${column}") must hold numbers, but row ${nullRow} holds a null`,
      });
    }
  }
  let expected = -1;
  for (let row = 0; row < lengths.length; row++) {
    const length = lengths[row]!;
    if (length < 0) continue;
    if (expected < 0) {
      expected = length;
      if (length <= 1) {
        problems.push({
          code: 'vector_too_short',
          field,
          column,
          row,
          message: `the vectors of ${what} (column "${column}") must have 2 numbers or more; row ${row} has ${length}`,
        });
        break;
      }
    } else if (length !== expected) {
      problems.push({
        code: 'vector_size_mismatch',
        field,
        column,
        row,
        message: `the vectors of ${what} (column "${column}") must all have the same length: row ${row} has ${length} numbers, the first vector ${expected}`,
      });
      break;
    }
  }
  return problems;
}

/** The first row whose vector holds a null element (polars explodes a null or empty list to one null). */
function firstRowWithNullElement(list: Series, lengths: Int32Array): number | undefined {
  let placeholders = 0;
  for (const length of lengths) if (length <= 0) placeholders++;
  const exploded = list.explode();
  if (exploded.nullCount() === placeholders) return undefined;
  const isNull = exploded.isNull().cast(pl.UInt8).toTypedArray() as Uint8Array;
  let offset = 0;
  for (let row = 0; row < lengths.length; row++) {
    const length = lengths[row]!;
    if (length <= 0) {
      offset += 1;
      continue;
    }
    for (let i = offset; i < offset + length; i++) if (isNull[i]) return row;
    offset += length;
  }
  return undefined;
}

/** A validated vector column as one Float32 block and a presence mask. */
export function readVectors(scan: VectorScan): EmbeddingVectors {
  const rows = scan.series.length;
  const present = new Uint8Array(rows);
  const dimension = scan.dimension ?? 0;
  if (scan.elements === undefined || scan.presentCount === 0) {
    return { dimension, data: new Float32Array(rows * dimension), present };
  }
  for (let row = 0; row < rows; row++) if (scan.lengths[row]! >= 0) present[row] = 1;
  const packed = scan.elements.toTypedArray() as Float32Array;
  if (scan.presentCount === rows) return { dimension, data: packed, present };
  const data = new Float32Array(rows * dimension);
  let source = 0;
  for (let row = 0; row < rows; row++) {
    if (!present[row]) continue;
    data.set(packed.subarray(source, source + dimension), row * dimension);
    source += dimension;
  }
  return { dimension, data, present };
}
