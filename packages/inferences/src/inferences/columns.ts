import pl from 'nodejs-polars';
import type { DimensionValues } from '../metrics/types.js';
import { columnKind, toFloat64 } from './dtypes.js';

/**
 * One scalar column as the metric engine reads it: numbers (ints, floats, booleans as 0 / 1,
 * datetimes as epoch milliseconds with their microseconds) in a Float64Array with NaN for null,
 * anything else as strings.
 */
export function readScalar(series: pl.Series): DimensionValues {
  const kind = columnKind(series.dtype);
  switch (kind) {
    case 'int':
    case 'float':
      return { kind: 'numeric', dtype: kind, values: toFloat64(series) };
    case 'bool':
      return { kind: 'numeric', dtype: 'bool', values: toFloat64(series.cast(pl.UInt8)) };
    case 'datetime':
    case 'date': {
      const micros = toFloat64(series.cast(pl.Datetime('us')).cast(pl.Int64));
      for (let i = 0; i < micros.length; i++) micros[i] = micros[i]! / 1000;
      return { kind: 'numeric', dtype: 'datetime', values: micros };
    }
    case 'null':
      return { kind: 'categorical', values: new Array<string | null>(series.length).fill(null) };
    default:
      return { kind: 'categorical', values: readText(series) };
  }
}

/** A column as text (raw data, links, ids), null where it is null. */
export function readText(series: pl.Series): (string | null)[] {
  const kind = columnKind(series.dtype);
  if (kind === 'null') return new Array<string | null>(series.length).fill(null);
  return series.cast(pl.String).toArray() as (string | null)[];
}

/** A list column as one list of strings per row (retrieved document ids), null where it is null. */
export function readStringLists(series: pl.Series): (readonly string[] | null)[] {
  if (columnKind(series.dtype) !== 'list') return new Array(series.length).fill(null);
  const lists = series.cast(pl.List(pl.String)).toArray() as unknown as ((string | null)[] | null)[];
  return lists.map((list) => (list == null ? null : list.map((item) => item ?? '')));
}

/** A list column of numbers per row (retrieval scores), null where the list is null; null items are NaN. */
export function readNumberLists(series: pl.Series): (Float64Array | null)[] {
  if (columnKind(series.dtype) !== 'list') return new Array(series.length).fill(null);
  const lists = series.cast(pl.List(pl.Float64)).toArray() as unknown as ((number | null)[] | null)[];
  return lists.map((list) => (list == null ? null : Float64Array.from(list, (item) => item ?? Number.NaN)));
}
