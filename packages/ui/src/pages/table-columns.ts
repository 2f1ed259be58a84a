import type { Column } from '../components/DataTable.js';
import { formatTime } from '../components/format.js';

/** A cell's text cut to what a cell can show (laying out the rest, hidden, would cost every frame). */
export function cut(text: string | null): string {
  if (!text) return '';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** A column of long text (an input, an output): the text cut, whole in the tooltip. */
export function textColumn<Row>(id: string, header: string, text: (row: Row) => string | null): Column<Row> {
  return {
    id,
    header,
    width: 'minmax(140px, 2fr)',
    title: (row) => text(row) ?? undefined,
    cell: (row) => cut(text(row)),
  };
}

/** A sortable column of instants (`sortKey`: the row's field and the table's sort key). */
export function timeColumn<Row extends Record<Key, string>, Key extends 'start_time' | 'end_time'>(
  id: string,
  header: string,
  sortKey: Key,
): Column<Row> {
  return { id, header, width: '170px', sortKey, className: 'muted', cell: (row) => formatTime(row[sortKey]) };
}
