import { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { keys, type SessionTableParams, useSessionPages } from '../api/queries.js';
import { UI_SESSION_SORTS, type UiSessionRow } from '../api/types.js';
import { useRangeSuffix, useSearchParam, useTimeRange } from '../app/search-params.js';
import { AnnotationChips } from '../components/badges.js';
import type { Column } from '../components/DataTable.js';
import { FilterBar } from '../components/filter-bar/FilterBar.js';
import { formatCount, formatLatency } from '../components/format.js';
import { Empty } from '../components/states.js';
import { costColumn } from './cost-column.js';
import { ProjectTable, useTableSort } from './ProjectTable.js';
import { textColumn, timeColumn } from './table-columns.js';

const COLUMNS: Column<UiSessionRow>[] = [
  {
    id: 'session',
    header: 'Session',
    width: 'minmax(120px, 1fr)',
    className: 'code',
    hideable: false,
    title: (row) => row.session_id,
    cell: (row) => row.session_id,
  },
  textColumn('first_input', 'First input', (row) => row.first_input),
  textColumn('last_output', 'Last output', (row) => row.last_output),
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
  costColumn('Total cost'),
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
  timeColumn('start', 'Started', 'start_time'),
  timeColumn('end', 'Last activity', 'end_time'),
];

export function SessionsTab() {
  const project = useParams().project!;
  const navigate = useNavigate();
  const suffix = useRangeSuffix();
  const [, range] = useTimeRange();
  const [filter, setFilter] = useSearchParam('filter', '');
  const sort = useTableSort(UI_SESSION_SORTS);
  const params: SessionTableParams = useMemo(
    () => ({ ...range, filter, sort: sort.key, order: sort.order }),
    [range, filter, sort.key, sort.order],
  );
  const query = useSessionPages(project, params);
  const queryKey = useMemo(() => keys.sessions(project, params), [project, params]);
  const onOpen = useCallback(
    (row: UiSessionRow) =>
      navigate(
        `/projects/${encodeURIComponent(project)}/sessions/${encodeURIComponent(row.session_id)}${suffix}`,
      ),
    [navigate, project, suffix],
  );

  return (
    <section className="tab-panel" aria-label="Sessions">
      <FilterBar project={project} value={filter} onApply={setFilter} examples="sessions" />
      <ProjectTable
        label="Sessions"
        project={project}
        query={query}
        queryKey={queryKey}
        columns={COLUMNS}
        storageKey="sessions"
        sort={sort}
        onOpen={onOpen}
        what="sessions"
        empty={
          filter ? (
            <Empty title="No sessions match this filter">
              <p>
                No session has a trace whose root span matches <code>{filter}</code> in this time range.
              </p>
            </Empty>
          ) : (
            <Empty title="No sessions yet">
              <p>
                A session groups the traces whose spans carry the same <code>session.id</code> attribute, e.g.
                the turns of a conversation.
              </p>
            </Empty>
          )
        }
      />
    </section>
  );
}
