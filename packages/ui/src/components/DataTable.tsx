import { type ColumnDef, flexRender, getCoreRowModel, type Row, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  type KeyboardEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';

export const ROW_HEIGHT = 36;

export interface ColumnMeta {
  /** CSS grid track, e.g. `120px` or `minmax(200px, 2fr)`. */
  width: string;
  /** Server-side sort key when the column is sortable. */
  sortKey?: string;
  align?: 'right';
}

export interface Sort {
  key: string;
  order: 'asc' | 'desc';
}

export interface DataTableProps<T> {
  label: string;
  columns: ColumnDef<T, unknown>[];
  rows: T[];
  rowId: (row: T) => string;
  sort: Sort;
  onSortChange: (sort: Sort) => void;
  onOpen: (row: T) => void;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** Shown instead of rows when there are none. */
  empty: ReactNode;
  /** Told whether the list is scrolled to its top (live updates then refresh it in place). */
  onTopChange?: (atTop: boolean) => void;
  /** Something above the rows (e.g. "3 new traces"). */
  banner?: ReactNode;
}

function metaOf<T>(column: ColumnDef<T, unknown>): ColumnMeta {
  return (column.meta as ColumnMeta | undefined) ?? { width: 'minmax(100px, 1fr)' };
}

/**
 * A table that stays smooth at any length: only the rows in view are rendered (TanStack Virtual),
 * pages load as the end comes near, columns sort on the server. Keyboard: ↑/↓ (or j/k), Page Up /
 * Page Down, Home / End move the active row; Enter opens it.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, sort, onSortChange, hasMore, loadingMore, loadMore, onOpen, onTopChange } = props;
  const scrollRef = useRef<HTMLTableSectionElement>(null);
  const [active, setActive] = useState(-1);
  const gridId = useId();
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });
  const template = useMemo(() => columns.map((c) => metaOf(c).width).join(' '), [columns]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastVisible >= rows.length - 40) loadMore();
  }, [hasMore, loadingMore, lastVisible, rows.length, loadMore]);

  useEffect(() => {
    if (active >= rows.length) setActive(rows.length - 1);
  }, [active, rows.length]);

  const move = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(rows.length - 1, index));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    },
    [rows.length, virtualizer],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    switch (event.key) {
      case 'ArrowDown':
      case 'j':
        move(active + 1);
        break;
      case 'ArrowUp':
      case 'k':
        move(active - 1);
        break;
      case 'PageDown':
        move(active + page);
        break;
      case 'PageUp':
        move(active - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(rows.length - 1);
        break;
      case 'Enter': {
        const row = rows[active];
        if (row) onOpen(row);
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  };

  const tableRows = table.getRowModel().rows;
  const activeRow = active >= 0 ? rows[active] : undefined;
  return (
    <div className="table" style={{ '--columns': template } as CSSProperties}>
      <table
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA grid pattern (arrow keys move the active row)
        role="grid"
        aria-label={props.label}
        aria-rowcount={rows.length}
        aria-activedescendant={activeRow ? `${gridId}-${active}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (active < 0 && rows.length > 0) setActive(0);
        }}
      >
        <thead className="table-head">
          <tr>
            {table.getHeaderGroups()[0]!.headers.map((header) => {
              const meta = metaOf(header.column.columnDef);
              const sorted = meta.sortKey && sort.key === meta.sortKey ? sort.order : undefined;
              const content = flexRender(header.column.columnDef.header, header.getContext());
              return (
                <th
                  key={header.id}
                  scope="col"
                  className={`cell head-cell${meta.align === 'right' ? ' right' : ''}`}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                >
                  {meta.sortKey ? (
                    <button
                      type="button"
                      className={`sort-button${sorted ? ' sorted' : ''}`}
                      onClick={() =>
                        onSortChange({ key: meta.sortKey!, order: sorted === 'desc' ? 'asc' : 'desc' })
                      }
                    >
                      {content}
                      <span className="sort-arrow" aria-hidden="true">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    content
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        {props.banner && (
          <tbody className="table-banner">
            <tr>
              <td>{props.banner}</td>
            </tr>
          </tbody>
        )}
        <tbody
          ref={scrollRef}
          className="table-body"
          onScroll={(e) => onTopChange?.(e.currentTarget.scrollTop < ROW_HEIGHT)}
          data-testid="table-body"
        >
          {rows.length === 0 ? (
            <tr className="table-empty">
              <td>{props.empty}</td>
            </tr>
          ) : (
            <>
              {/* Spacer rows keep the scroll height of every row while only those in view exist. */}
              <tr className="spacer" style={{ height: items[0]?.start ?? 0 }} />
              {items.map((item) => {
                const row = tableRows[item.index];
                if (!row) return null;
                return (
                  <TableRow
                    key={props.rowId(row.original)}
                    id={`${gridId}-${item.index}`}
                    row={row}
                    index={item.index}
                    active={item.index === active}
                    onSelect={setActive}
                    onOpen={onOpen}
                  />
                );
              })}
              <tr
                className="spacer"
                style={{
                  height: Math.max(0, virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0)),
                }}
              />
            </>
          )}
          {loadingMore && (
            <tr className="table-loading-more">
              <td>Loading more…</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

interface TableRowProps<T> {
  id: string;
  row: Row<T>;
  index: number;
  active: boolean;
  onSelect: (index: number) => void;
  onOpen: (row: T) => void;
}

function TableRowInner<T>({ id, row, index, active, onSelect, onOpen }: TableRowProps<T>) {
  return (
    <tr
      id={id}
      aria-rowindex={index + 1}
      aria-selected={active}
      className={`table-row${active ? ' active' : ''}${index % 2 ? ' odd' : ''}`}
      onClick={() => {
        onSelect(index);
        onOpen(row.original);
      }}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = metaOf(cell.column.columnDef);
        return (
          <td key={cell.id} className={`cell${meta.align === 'right' ? ' right' : ''}`}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
}

const TableRow = memo(TableRowInner) as typeof TableRowInner;
