import type { Column } from '../components/DataTable.js';
import { formatDollars } from '../components/dollars.js';

interface Costed {
  cost_prompt: number | null;
  cost_completion: number | null;
  cost_total: number | null;
}

/** US dollars, sortable on the server; empty when no price matched (no model name, or an unknown model). */
export function costColumn<Row extends Costed>(header: string): Column<Row> {
  return {
    id: 'cost',
    header,
    width: '92px',
    sortKey: 'cost_total',
    align: 'right',
    className: 'num',
    title: (row) =>
      row.cost_total === null
        ? undefined
        : `prompt ${formatDollars(row.cost_prompt)} · completion ${formatDollars(row.cost_completion)}`,
    cell: (row) => (row.cost_total === null ? '' : formatDollars(row.cost_total)),
  };
}
