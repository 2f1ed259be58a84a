import type { ColumnDef } from '@tanstack/react-table';
import { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { keys, type SessionTableParams, useSessionPages } from '../api/queries.js';
import type { UiSessionRow, UiSessionSort } from '../api/types.js';
import { useLiveProject } from '../app/live.js';
import { useRangeSuffix, useSearchParam, useSetSearchParams, useTimeRange } from '../app/search-params.js';
import { AnnotationChips } from '../components/badges.js';
import { DataTable, type Sort } from '../components/DataTable.js';
import { formatCount, formatLatency, formatTime } from '../components/format.js';
import { Empty, ErrorState, SkeletonRows } from '../components/states.js';
import { useFreshFirstPage } from './use-fresh-first-page.js';

const SORTS: readonly UiSessionSort[] = ['start_time', 'end_time', 'num_traces', 'token_count_total'];

const COLUMNS: ColumnDef<UiSessionRow, unknown>[] = [
  {
    id: 'session',
    header: 'Session',
    meta: { width: 'minmax(120px, 1fr)' },
    cell: ({ row }) => (
      <span className="code" title={row.original.session_id}>
        {row.original.session_id}
      </span>
    ),
  },
  {
    id: 'first_input',
    header: 'First input',
    meta: { width: 'minmax(140px, 2fr)' },
    cell: ({ row }) => (
      <span title={row.original.first_input ?? undefined}>{row.original.first_input ?? ''}</span>
    ),
  },
  {
    id: 'last_output',
    header: 'Last output',
    meta: { width: 'minmax(140px, 2fr)' },
    cell: ({ row }) => (
      <span title={row.original.last_output ?? undefined}>{row.original.last_output ?? ''}</span>
    ),
  },
  {
    id: 'turns',
    header: 'Turns',
    meta: { width: '76px', sortKey: 'num_traces', align: 'right' },
    cell: ({ row }) => (
      <span className="num">
        {formatCount(row.original.num_traces)}
        {row.original.error_count > 0 && (
          <span className="error-mark" title={`${row.original.error_count} error(s)`}>
            {' '}
            ●
          </span>
        )}
      </span>
    ),
  },
  {
    id: 'tokens',
    header: 'Tokens',
    meta: { width: '84px', sortKey: 'token_count_total', align: 'right' },
    cell: ({ row }) => <span className="num">{formatCount(row.original.token_count_total)}</span>,
  },
  {
    id: 'latency',
    header: 'Latency p50',
    meta: { width: '100px', align: 'right' },
    cell: ({ row }) => (
      <span className="num" title={`p99 ${formatLatency(row.original.latency_ms_p99)}`}>
        {formatLatency(row.original.latency_ms_p50)}
      </span>
    ),
  },
  {
    id: 'annotations',
    header: 'Annotations',
    meta: { width: 'minmax(110px, 1fr)' },
    cell: ({ row }) => <AnnotationChips chips={row.original.annotations} max={2} />,
  },
  {
    id: 'start',
    header: 'Started',
    meta: { width: '170px', sortKey: 'start_time' },
    cell: ({ row }) => <span className="muted">{formatTime(row.original.start_time)}</span>,
  },
  {
    id: 'end',
    header: 'Last activity',
    meta: { width: '170px', sortKey: 'end_time' },
    cell: ({ row }) => <span className="muted">{formatTime(row.original.end_time)}</span>,
  },
];

export function SessionsTab() {
  const project = useParams().project!;
  const navigate = useNavigate();
  const suffix = useRangeSuffix();
  const [, range] = useTimeRange();
  const [sortKey] = useSearchParam('sort', 'start_time');
  const [order] = useSearchParam('order', 'desc');
  const setParams = useSetSearchParams();
  const sort: Sort = {
    key: (SORTS as readonly string[]).includes(sortKey) ? sortKey : 'start_time',
    order: order === 'asc' ? 'asc' : 'desc',
  };
  const params: SessionTableParams = useMemo(
    () => ({ ...range, sort: sort.key as UiSessionSort, order: sort.order }),
    [range, sort.key, sort.order],
  );
  const query = useSessionPages(project, params);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const queryKey = useMemo(() => keys.sessions(project, params), [project, params]);
  const live = useFreshFirstPage(queryKey);
  useLiveProject(project, live.onChange);
  const onOpen = useCallback(
    (row: UiSessionRow) =>
      navigate(
        `/projects/${encodeURIComponent(project)}/sessions/${encodeURIComponent(row.session_id)}${suffix}`,
      ),
    [navigate, project, suffix],
  );

  return (
    <section className="tab-panel" aria-label="Sessions">
      {query.isError && !query.data ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.isPending ? (
        <SkeletonRows />
      ) : (
        <DataTable
          label="Sessions"
          columns={COLUMNS}
          rows={rows}
          rowId={(row) => row.id}
          sort={sort}
          onSortChange={(next) =>
            setParams({
              sort: { value: next.key, fallback: 'start_time' },
              order: { value: next.order, fallback: 'desc' },
            })
          }
          onOpen={onOpen}
          hasMore={query.hasNextPage}
          loadingMore={query.isFetchingNextPage}
          loadMore={() => void query.fetchNextPage()}
          onTopChange={live.setAtTop}
          banner={
            live.pending > 0 ? (
              <button type="button" className="banner banner-live" onClick={live.refresh}>
                New sessions arrived — show them
              </button>
            ) : undefined
          }
          empty={
            <Empty title="No sessions yet">
              <p>
                A session groups the traces whose spans carry the same <code>session.id</code> attribute, e.g.
                the turns of a conversation.
              </p>
            </Empty>
          }
        />
      )}
    </section>
  );
}
