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
/**
 * Rows on screen are keyed by slot (index modulo this, more than ever fit a window), not by
 * identity: a row that scrolls out hands its DOM to the one that scrolls in, which React then
 * updates in place instead of building and tearing down elements every frame.
 */
const ROW_SLOTS = 128;
/**
 * Above this speed (px per ms: ~80 rows a second) rows come and go before anyone could read them:
 * they are drawn as light placeholders, and in full as soon as the scroll slows or stops. A fling
 * through thousands of rows then costs each frame almost nothing.
 */
const FLING_SPEED = 3;

export interface Column<T> {
  id: string;
  header: string;
  /** CSS grid track, e.g. `120px` or `minmax(200px, 2fr)`. */
  width: string;
  /** Server-side sort key when the column is sortable. */
  sortKey?: string;
  align?: 'right';
  /** Classes of the column's cells (`strong`, `muted`, `num`, `code`). */
  className?: string;
  /** A tooltip for a cell (e.g. the whole of a text the cell cuts). */
  title?: (row: T) => string | undefined;
  /** What a cell shows: plain text when it can be, each element costs in a fast scroll. */
  cell: (row: T) => ReactNode;
}

export interface Sort {
  key: string;
  order: 'asc' | 'desc';
}

export interface DataTableProps<T> {
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
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

/**
 * A table that stays smooth at any length: only the rows in view exist (TanStack Virtual), each
 * placed by a transform so that scrolling lays out nothing but the rows that come into view; rows
 * already shown are not rendered again when a page arrives. Pages load as the end comes near,
 * columns sort on the server. Keyboard: ↑/↓ (or j/k), Page Up / Page Down, Home / End move the
 * active row; Enter opens it.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, sort, onSortChange, hasMore, loadingMore, loadMore, onOpen, onTopChange } = props;
  const scrollRef = useRef<HTMLTableSectionElement>(null);
  const [active, setActive] = useState(-1);
  const gridId = useId();
  const template = useMemo(() => columns.map((c) => c.width).join(' '), [columns]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length ? items[items.length - 1]!.index : -1;
  const fling = useFling(virtualizer.scrollOffset ?? 0, virtualizer.isScrolling);
  // From the virtualizer's offset: reading the element's scrollTop in a scroll handler would force a
  // layout on every scroll event.
  const atTop = (virtualizer.scrollOffset ?? 0) < ROW_HEIGHT;
  useEffect(() => onTopChange?.(atTop), [atTop, onTopChange]);

  useEffect(() => {
    if (hasMore && !loadingMore && lastVisible >= rows.length - 60) loadMore();
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
        onFocus={(event) => {
          // Focus on the grid itself (not on a header's button) starts keyboard navigation.
          if (event.target === event.currentTarget && active < 0 && rows.length > 0) setActive(0);
        }}
      >
        <thead className="table-head">
          <tr>
            {columns.map((column) => {
              const sorted = column.sortKey && sort.key === column.sortKey ? sort.order : undefined;
              return (
                <th
                  key={column.id}
                  scope="col"
                  className={`cell head-cell${column.align === 'right' ? ' right' : ''}`}
                  aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                >
                  {column.sortKey ? (
                    <button
                      type="button"
                      className={`sort-button${sorted ? ' sorted' : ''}`}
                      onClick={() =>
                        onSortChange({ key: column.sortKey!, order: sorted === 'desc' ? 'asc' : 'desc' })
                      }
                    >
                      {column.header}
                      <span className="sort-arrow" aria-hidden="true">
                        {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.header
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
        <tbody ref={scrollRef} className="table-body" data-testid="table-body">
          {rows.length === 0 ? (
            <tr className="table-empty">
              <td>{props.empty}</td>
            </tr>
          ) : (
            <>
              {/* Gives the body the height of every row; the rows in view are placed over it. */}
              <tr className="sizer" style={{ height: virtualizer.getTotalSize() }} />
              {items.map((item) => {
                const row = rows[item.index];
                if (row === undefined) return null;
                return (
                  <TableRow
                    key={item.index % ROW_SLOTS}
                    id={`${gridId}-${item.index}`}
                    row={row}
                    columns={columns}
                    index={item.index}
                    top={item.start}
                    light={fling}
                    active={item.index === active}
                    onSelect={setActive}
                    onOpen={onOpen}
                  />
                );
              })}
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
  row: T;
  columns: readonly Column<T>[];
  index: number;
  top: number;
  /** A placeholder only (see FLING_SPEED). */
  light: boolean;
  active: boolean;
  onSelect: (index: number) => void;
  onOpen: (row: T) => void;
}

function TableRowInner<T>({
  id,
  row,
  columns,
  index,
  top,
  light,
  active,
  onSelect,
  onOpen,
}: TableRowProps<T>) {
  if (light) {
    return (
      <tr
        aria-rowindex={index + 1}
        className={`table-row placeholder${index % 2 ? ' odd' : ''}`}
        style={{ transform: `translateY(${top}px)` }}
      />
    );
  }
  return (
    <tr
      id={id}
      aria-rowindex={index + 1}
      aria-selected={active}
      className={`table-row${active ? ' active' : ''}${index % 2 ? ' odd' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => {
        onSelect(index);
        onOpen(row);
      }}
    >
      {columns.map((column) => (
        <td
          key={column.id}
          className={`cell${column.align === 'right' ? ' right' : ''}${column.className ? ` ${column.className}` : ''}`}
          title={column.title?.(row)}
        >
          {column.cell(row)}
        </td>
      ))}
    </tr>
  );
}

const TableRow = memo(TableRowInner) as typeof TableRowInner;

/** Whether the list is being flung (scrolling faster than FLING_SPEED), from its scroll offsets. */
function useFling(offset: number, scrolling: boolean): boolean {
  const last = useRef({ offset, time: performance.now(), fling: false });
  const now = performance.now();
  const elapsed = now - last.current.time;
  if (!scrolling) {
    last.current = { offset, time: now, fling: false };
  } else if (elapsed > 8) {
    const speed = Math.abs(offset - last.current.offset) / elapsed;
    last.current = { offset, time: now, fling: speed > FLING_SPEED };
  }
  return last.current.fling;
}
