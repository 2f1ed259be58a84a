import { type ReactNode, useMemo, useState } from 'react';

export interface SortableColumn<Row> {
  id: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** The value the column sorts by; nulls go last whichever the direction. */
  sortValue: (row: Row) => string | number | null;
  numeric?: boolean;
}

type Direction = 'ascending' | 'descending';

/** A plain accessible table sorted in the browser by clicking a header (aria-sort says how). */
export function SortableTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  initialSort,
  testId,
}: {
  label: string;
  columns: SortableColumn<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  initialSort?: { column: string; direction: Direction };
  testId?: string;
}) {
  const [sort, setSort] = useState(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.id === sort?.column);
    if (!column || !sort) return rows;
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => compare(column.sortValue(a), column.sortValue(b), sign));
  }, [rows, columns, sort]);

  const toggle = (id: string) =>
    setSort((current) =>
      current?.column === id
        ? { column: id, direction: current.direction === 'descending' ? 'ascending' : 'descending' }
        : { column: id, direction: columns.find((c) => c.id === id)?.numeric ? 'descending' : 'ascending' },
    );

  return (
    <table className="plain-table" aria-label={label} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th
              key={column.id}
              scope="col"
              className={column.numeric ? 'num' : undefined}
              aria-sort={sort?.column === column.id ? sort.direction : 'none'}
            >
              <button type="button" className="sort-button" onClick={() => toggle(column.id)}>
                {column.header}
                <span className="sort-arrow" aria-hidden="true">
                  {sort?.column === column.id ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                </span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => (
              <td key={column.id} className={column.numeric ? 'num' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function compare(a: string | number | null, b: string | number | null, sign: number): number {
  if (a === null || (typeof a === 'number' && Number.isNaN(a))) return b === null ? 0 : 1;
  if (b === null || (typeof b === 'number' && Number.isNaN(b))) return -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * sign;
  return String(a).localeCompare(String(b)) * sign;
}
