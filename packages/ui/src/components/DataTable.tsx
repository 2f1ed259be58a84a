import {
  type ColumnDef,
  type ColumnSizingState,
  type ColumnVisibilityState,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  tableFeatures,
  useTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  type KeyboardEvent,
  memo,
  type MouseEvent as ReactMouseEvent,
  type ReactNode,
  type TouchEvent as ReactTouchEvent,
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
  /** `false`: always shown (the column chooser offers no checkbox for it). */
  hideable?: false;
  /** Hidden until the user shows it in the column chooser. */
  hiddenByDefault?: true;
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
  /**
   * Where the user's column choices (shown / hidden, widths) are kept in localStorage
   * (`fawkes.table.<storageKey>`); without it the table has no column chooser and no resizing.
   */
  storageKey?: string;
}

/** The narrowest a column can be dragged to, in px. */
const MIN_COLUMN_WIDTH = 48;
const features = tableFeatures({ columnVisibilityFeature, columnSizingFeature, columnResizingFeature });
/**
 * TanStack Table keeps only the columns' state here (visibility, sizes, the drag of a header's edge):
 * rows are drawn by the virtualizer straight from `rows`, so the table is given none to model.
 */
const NO_ROWS: object[] = [];

interface ColumnPrefs {
  hidden: string[];
  sizes: ColumnSizingState;
}

function storageName(key: string): string {
  return `fawkes.table.${key}`;
}

/** The user's column choices for a table, or none when there are none (or they cannot be read). */
export function readColumnPrefs(key: string | undefined): ColumnPrefs | undefined {
  if (!key) return undefined;
  try {
    const raw = globalThis.localStorage?.getItem(storageName(key));
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<ColumnPrefs>;
    const hidden = Array.isArray(value.hidden) ? value.hidden.filter((id) => typeof id === 'string') : [];
    const sizes: ColumnSizingState = {};
    for (const [id, size] of Object.entries(value.sizes ?? {}))
      if (typeof size === 'number' && Number.isFinite(size) && size > 0) sizes[id] = size;
    return { hidden, sizes };
  } catch {
    return undefined;
  }
}

function writeColumnPrefs(key: string, prefs: ColumnPrefs): void {
  try {
    globalThis.localStorage?.setItem(storageName(key), JSON.stringify(prefs));
  } catch {
    // Private mode or a full quota: the choices last as long as the page.
  }
}

/**
 * The columns a table shows and how wide, from TanStack Table's column visibility and sizing state,
 * started from (and kept in) localStorage under `storageKey`.
 */
function useColumnState<T>(columns: readonly Column<T>[], storageKey: string | undefined) {
  const defs = useMemo<ColumnDef<typeof features, object>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        minSize: MIN_COLUMN_WIDTH,
        enableHiding: c.hideable !== false,
        enableResizing: storageKey !== undefined,
      })),
    [columns, storageKey],
  );
  const defaultVisibility = useMemo(() => {
    const visibility: ColumnVisibilityState = {};
    for (const c of columns) if (c.hiddenByDefault) visibility[c.id] = false;
    return visibility;
  }, [columns]);
  // Read once per table (DataTable is keyed by its storageKey): later choices live in the table's state.
  const [initialState] = useState(() => {
    const prefs = readColumnPrefs(storageKey);
    const columnVisibility: ColumnVisibilityState = { ...defaultVisibility };
    for (const c of columns)
      if (prefs && c.hideable !== false) columnVisibility[c.id] = !prefs.hidden.includes(c.id);
    return { columnVisibility, columnSizing: prefs?.sizes ?? {} };
  });
  const table = useTable({
    features,
    columns: defs,
    data: NO_ROWS,
    initialState,
    columnResizeMode: 'onChange',
  });
  const { columnVisibility, columnSizing } = table.state;
  const resizing = table.state.columnResizing.isResizingColumn;
  useEffect(() => {
    if (!storageKey || resizing) return;
    const hidden = Object.entries(columnVisibility)
      .filter(([, shown]) => !shown)
      .map(([id]) => id);
    writeColumnPrefs(storageKey, { hidden, sizes: columnSizing });
  }, [storageKey, columnVisibility, columnSizing, resizing]);

  const shown = useMemo(
    () => columns.filter((c) => columnVisibility[c.id] !== false),
    [columns, columnVisibility],
  );
  const template = useMemo(
    () =>
      shown
        .map((c) =>
          columnSizing[c.id] !== undefined ? `${Math.max(MIN_COLUMN_WIDTH, columnSizing[c.id]!)}px` : c.width,
        )
        .join(' ') + (storageKey ? ' 36px' : ''),
    [shown, columnSizing, storageKey],
  );
  return { table, shown, template, resizing, defaultVisibility };
}

/**
 * A table that stays smooth at any length: only the rows in view exist (TanStack Virtual), each
 * placed by a transform so that scrolling lays out nothing but the rows that come into view; rows
 * already shown are not rendered again when a page arrives. Pages load as the end comes near,
 * columns sort on the server. Keyboard: ↑/↓ (or j/k), Page Up / Page Down, Home / End move the
 * active row; Enter opens it.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const { rows, sort, onSortChange, hasMore, loadingMore, loadMore, onOpen, onTopChange, storageKey } = props;
  const scrollRef = useRef<HTMLTableSectionElement>(null);
  const [active, setActive] = useState(-1);
  const gridId = useId();
  const {
    table,
    shown: columns,
    template,
    resizing,
    defaultVisibility,
  } = useColumnState(props.columns, storageKey);
  const headers = new Map(table.getFlatHeaders().map((header) => [header.column.id, header]));

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
    <div className={`table${resizing ? ' resizing' : ''}`} style={{ '--columns': template } as CSSProperties}>
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
              const header = storageKey ? headers.get(column.id) : undefined;
              return (
                <th
                  key={column.id}
                  id={`${gridId}-head-${column.id}`}
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
                  {header && (
                    <ResizeHandle
                      label={column.header}
                      size={table.state.columnSizing[column.id]}
                      onStart={(event) => {
                        // Dragging starts from the width on screen (the column's track may be `1fr`).
                        const cell = (event.currentTarget as HTMLElement).parentElement;
                        const width = Math.round(cell?.getBoundingClientRect().width ?? 150);
                        table.setColumnSizing((old) => ({ ...old, [column.id]: width }));
                        header.getResizeHandler(document)(event);
                      }}
                      onStep={(delta) => {
                        const cell = document.getElementById(`${gridId}-head-${column.id}`);
                        const width =
                          table.state.columnSizing[column.id] ?? cell?.getBoundingClientRect().width ?? 150;
                        table.setColumnSizing((old) => ({
                          ...old,
                          [column.id]: Math.max(MIN_COLUMN_WIDTH, Math.round(width + delta)),
                        }));
                      }}
                      onReset={() => table.getColumn(column.id)?.resetSize()}
                    />
                  )}
                </th>
              );
            })}
            {storageKey && (
              <th scope="col" className="cell head-cell chooser-cell">
                <ColumnChooser
                  label={props.label}
                  columns={props.columns}
                  isShown={(id) => table.getColumn(id)?.getIsVisible() ?? true}
                  onToggle={(id, show) => table.getColumn(id)?.toggleVisibility(show)}
                  onReset={() => {
                    table.setColumnVisibility(defaultVisibility);
                    table.resetColumnSizing(true);
                  }}
                />
              </th>
            )}
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

/**
 * The right edge of a column's header: dragged (mouse or touch) it resizes the column; as a focusable
 * separator, ← / → resize it by 16 px; a double click gives the column its default width back.
 */
function ResizeHandle(props: {
  label: string;
  size: number | undefined;
  onStart: (event: ReactMouseEvent | ReactTouchEvent) => void;
  onStep: (delta: number) => void;
  onReset: () => void;
}) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a column resizer is a focusable separator (WAI-ARIA window splitter), which <hr> cannot be
    <span
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${props.label}`}
      aria-valuenow={props.size === undefined ? undefined : Math.round(props.size)}
      tabIndex={0}
      className="column-resizer"
      onMouseDown={(event) => {
        event.preventDefault();
        props.onStart(event);
      }}
      onTouchStart={props.onStart}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={props.onReset}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        event.preventDefault();
        event.stopPropagation();
        props.onStep(event.key === 'ArrowLeft' ? -16 : 16);
      }}
    />
  );
}

/** The "Columns" button at the end of the header row, and its list of the columns to show. */
function ColumnChooser<T>(props: {
  label: string;
  columns: readonly Column<T>[];
  isShown: (id: string) => boolean;
  onToggle: (id: string, show: boolean) => void;
  onReset: () => void;
}) {
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="column-chooser-button"
        popoverTarget={id}
        aria-label={`Columns of ${props.label}`}
        title="Show, hide or reset columns"
      >
        ⚙
      </button>
      <div
        id={id}
        popover="auto"
        className="column-chooser"
        role="dialog"
        aria-label={`Columns of ${props.label}`}
      >
        <fieldset>
          <legend>Columns</legend>
          {props.columns.map((column) => (
            <label key={column.id}>
              <input
                type="checkbox"
                checked={column.hideable === false || props.isShown(column.id)}
                disabled={column.hideable === false}
                onChange={(event) => props.onToggle(column.id, event.currentTarget.checked)}
              />
              {column.header}
            </label>
          ))}
        </fieldset>
        <button type="button" className="button" onClick={props.onReset}>
          Reset columns
        </button>
      </div>
    </>
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
