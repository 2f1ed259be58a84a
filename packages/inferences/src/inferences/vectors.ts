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
  const lengths = fillNullWith(list.lst.lengths().cast(pl.Int32), -1);
  return lengths.toTypedArray() as Int32Array;
}

/**
 * Phoenix's checks of one embedding's vectors (nulls allowed; otherwise lists of numbers, all of
 * one length, longer than 1), each problem naming the first bad row. `what` names the embedding
 * in messages (`embedding feature "text"`, `prompt`).
 */
export function vectorProblems(series: Series, what: string, field: string): InferencesProblem[] {
  const column = series.name;
  const kind = columnKind(series.dtype);
  if (kind === 'null' || series.nullCount() === series.length) return [];
  const firstPresent = () => series.isNotNull().argTrue().get(0) as number;
  if (kind !== 'list') {
    return [
      {
        code: 'vector_wrong_type',
        field,
        column,
        row: firstPresent(),
        message: `the vectors of ${what} (column "${column}") must be lists of numbers, but the column holds ${describeDtype(series.dtype)} (row ${firstPresent()})`,
      },
    ];
  }
  const problems: InferencesProblem[] = [];
  const list = asList(series);
  const lengths = lengthsOf(list);
  const inner = listInner(list.dtype);
  const innerKind = inner ? columnKind(inner) : 'other';
  if (!isNumericKind(innerKind) && !(innerKind === 'null' && everyVectorEmpty(lengths))) {
    const row = firstPresent();
    problems.push({
      code: 'vector_wrong_value_type',
      field,
      column,
      row,
      message: `the vectors of ${what} (column "${column}") must hold numbers, not ${inner ? describeDtype(inner) : 'values of no type'} (row ${row})`,
    });
  } else {
    const nullRow = firstRowWithNullElement(list, lengths);
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

function everyVectorEmpty(lengths: Int32Array): boolean {
  return lengths.every((length) => length <= 0);
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

/** The vector length of a valid column (0 when every vector is null). */
export function vectorDimension(series: Series): number {
  if (columnKind(series.dtype) !== 'list') return 0;
  for (const length of lengthsOf(asList(series))) if (length >= 0) return length;
  return 0;
}

/** A validated vector column as one Float32 block and a presence mask. */
export function readVectors(series: Series): EmbeddingVectors {
  const rows = series.length;
  if (columnKind(series.dtype) !== 'list') {
    return { dimension: 0, data: new Float32Array(0), present: new Uint8Array(rows) };
  }
  const list = asList(series);
  const lengths = lengthsOf(list);
  const dimension = vectorDimension(series);
  const present = new Uint8Array(rows);
  let presentCount = 0;
  for (let row = 0; row < rows; row++) {
    if (lengths[row]! >= 0) {
      present[row] = 1;
      presentCount++;
    }
  }
  const values = (presentCount === rows ? list : list.filter(list.isNotNull())).explode().cast(pl.Float32);
  const packed = (presentCount === 0 ? new Float32Array(0) : values.toTypedArray()) as Float32Array;
  if (presentCount === rows) return { dimension, data: packed, present };
  const data = new Float32Array(rows * dimension);
  let source = 0;
  for (let row = 0; row < rows; row++) {
    if (!present[row]) continue;
    data.set(packed.subarray(source, source + dimension), row * dimension);
    source += dimension;
  }
  return { dimension, data, present };
}
