import type { InfiniteData, QueryKey, UseInfiniteQueryResult } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import type { SortOrder } from '../api/types.js';
import { useLiveProject } from '../app/live.js';
import { useSearchParam, useSetSearchParams } from '../app/search-params.js';
import { type Column, DataTable } from '../components/DataTable.js';
import { ErrorState, SkeletonRows } from '../components/states.js';
import { useFreshFirstPage } from './use-fresh-first-page.js';

const DEFAULT_SORT = 'start_time';
const DEFAULT_ORDER = 'desc';

/** The sort of a project's table from the URL (`?sort=…&order=…`): newest first unless it names one of `keys`. */
export function useTableSort<Key extends string>(keys: readonly Key[]): { key: Key; order: SortOrder } {
  const [sortKey] = useSearchParam('sort', DEFAULT_SORT);
  const [order] = useSearchParam('order', DEFAULT_ORDER);
  return {
    key: (keys as readonly string[]).includes(sortKey) ? (sortKey as Key) : (DEFAULT_SORT as Key),
    order: order === 'asc' ? 'asc' : 'desc',
  };
}

export interface ProjectTableProps<Row> {
  label: string;
  project: string;
  /** The table's pages, and their key (live updates refetch the first page under it). */
  query: UseInfiniteQueryResult<InfiniteData<{ data: Row[] }>, Error>;
  queryKey: QueryKey;
  columns: readonly Column<Row>[];
  sort: { key: string; order: SortOrder };
  onOpen: (row: Row) => void;
  /** What the rows are, for the banner that offers the new ones ("New spans arrived"). */
  what: string;
  /** Shows the message of a failed fetch above the rows already loaded. */
  errorBanner?: boolean;
  empty: ReactNode;
  /** Where the table's column choices are remembered (see DataTable's `storageKey`). */
  storageKey?: string;
}

/**
 * A paged table of a project's rows (traces, spans, sessions): the error and loading states, sort in
 * the URL, more pages as the user scrolls, and live updates.
 */
export function ProjectTable<Row>(props: ProjectTableProps<Row>) {
  const { query, sort } = props;
  const setParams = useSetSearchParams();
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const live = useFreshFirstPage(props.queryKey);
  useLiveProject(props.project, live.onChange);

  if (query.isError && !query.data)
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (query.isPending) return <SkeletonRows />;
  return (
    <DataTable
      // A table of its own per storage key: its column choices are read when it starts.
      key={props.storageKey}
      label={props.label}
      columns={props.columns}
      rows={rows}
      sort={sort}
      onSortChange={(next) =>
        setParams({
          sort: { value: next.key, fallback: DEFAULT_SORT },
          order: { value: next.order, fallback: DEFAULT_ORDER },
        })
      }
      onOpen={props.onOpen}
      hasMore={query.hasNextPage}
      loadingMore={query.isFetchingNextPage}
      loadMore={() => void query.fetchNextPage()}
      onTopChange={live.setAtTop}
      banner={
        props.errorBanner && query.isError ? (
          <div className="banner banner-error">{query.error.message}</div>
        ) : live.pending > 0 ? (
          <button type="button" className="banner banner-live" onClick={live.refresh}>
            New {props.what} arrived — show them
          </button>
        ) : undefined
      }
      empty={props.empty}
      storageKey={props.storageKey}
    />
  );
}
