import { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { keys, type SessionTableParams, useSessionPages } from '../api/queries.js';
import type { UiSessionRow, UiSessionSort } from '../api/types.js';
import { useLiveProject } from '../app/live.js';
import { useRangeSuffix, useSearchParam, useSetSearchParams, useTimeRange } from '../app/search-params.js';
import { AnnotationChips } from '../components/badges.js';
import { type Column, DataTable, type Sort } from '../components/DataTable.js';
import { formatCount, formatLatency, formatTime } from '../components/format.js';
import { Empty, ErrorState, SkeletonRows } from '../components/states.js';
import { cut } from './SpansTab.js';
import { useFreshFirstPage } from './use-fresh-first-page.js';

const SORTS: readonly UiSessionSort[] = ['start_time', 'end_time', 'num_traces', 'token_count_total'];

const COLUMNS: Column<UiSessionRow>[] = [
  {
    id: 'session',
    header: 'Session',
    width: 'minmax(120px, 1fr)',
    className: 'code',
    title: (row) => row.session_id,
    cell: (row) => row.session_id,
  },
  {
    id: 'first_input',
    header: 'First input',
    width: 'minmax(140px, 2fr)',
    title: (row) => row.first_input ?? undefined,
    cell: (row) => cut(row.first_input),
  },
  {
    id: 'last_output',
    header: 'Last output',
    width: 'minmax(140px, 2fr)',
    title: (row) => row.last_output ?? undefined,
    cell: (row) => cut(row.last_output),
  },
  {
    id: 'turns',
    header: 'Turns',
    width: '76px',
    sortKey: 'num_traces',
    align: 'right',
    className: 'num',
    title: (row) => (row.error_count > 0 ? `${row.error_count} span(s) with errors` : undefined),
    cell: (row) => (
      <>
        {formatCount(row.num_traces)}
        {row.error_count > 0 && <span className="error-mark"> ●</span>}
      </>
    ),
  },
  {
    id: 'tokens',
    header: 'Tokens',
    width: '84px',
    sortKey: 'token_count_total',
    align: 'right',
    className: 'num',
    cell: (row) => formatCount(row.token_count_total),
  },
  {
    id: 'latency',
    header: 'Latency p50',
    width: '100px',
    align: 'right',
    className: 'num',
    title: (row) => `p99 ${formatLatency(row.latency_ms_p99)}`,
    cell: (row) => formatLatency(row.latency_ms_p50),
  },
  {
    id: 'annotations',
    header: 'Annotations',
    width: 'minmax(110px, 1fr)',
    cell: (row) => <AnnotationChips chips={row.annotations} max={2} />,
  },
  {
    id: 'start',
    header: 'Started',
    width: '170px',
    sortKey: 'start_time',
    className: 'muted',
    cell: (row) => formatTime(row.start_time),
  },
  {
    id: 'end',
    header: 'Last activity',
    width: '170px',
    sortKey: 'end_time',
    className: 'muted',
    cell: (row) => formatTime(row.end_time),
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
