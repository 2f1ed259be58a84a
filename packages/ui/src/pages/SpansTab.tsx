import { useCallback, useMemo } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { keys, type SpanTableParams, useSpanPages } from '../api/queries.js';
import { UI_SPAN_SORTS, type UiSpanRow } from '../api/types.js';
import { useRangeSuffix, useSearchParam, useTimeRange } from '../app/search-params.js';
import { AnnotationChips, KindBadge, StatusBadge } from '../components/badges.js';
import type { Column } from '../components/DataTable.js';
import { FilterBar } from '../components/filter-bar/FilterBar.js';
import { formatCount, formatLatency } from '../components/format.js';
import { Empty, SendTracesHint } from '../components/states.js';
import { costColumn } from './cost-column.js';
import { ProjectTable, useTableSort } from './ProjectTable.js';
import { textColumn, timeColumn } from './table-columns.js';

function columns(rootsOnly: boolean): Column<UiSpanRow>[] {
  return [
    {
      id: 'status',
      header: 'Status',
      width: '78px',
      sortKey: 'status_code',
      cell: (row) => <StatusBadge code={row.status_code} message={row.status_message} />,
    },
    {
      id: 'kind',
      header: 'Kind',
      width: '108px',
      sortKey: 'span_kind',
      cell: (row) => <KindBadge kind={row.span_kind} />,
    },
    {
      id: 'name',
      header: 'Name',
      width: 'minmax(120px, 1fr)',
      sortKey: 'name',
      className: 'strong',
      hideable: false,
      title: (row) => row.name,
      cell: (row) => row.name,
    },
    textColumn('input', 'Input', (row) => row.input),
    textColumn('output', 'Output', (row) => row.output),
    {
      id: 'model',
      header: 'Model',
      width: 'minmax(90px, 0.8fr)',
      className: 'muted',
      title: (row) => row.model_name ?? undefined,
      cell: (row) => row.model_name ?? '',
    },
    {
      id: 'session',
      header: 'Session',
      width: 'minmax(80px, 0.6fr)',
      className: 'code',
      title: (row) => row.session_id ?? undefined,
      cell: (row) => row.session_id ?? '',
    },
    {
      id: 'user',
      header: 'User',
      width: 'minmax(70px, 0.5fr)',
      title: (row) => row.user_id ?? undefined,
      cell: (row) => row.user_id ?? '',
    },
    {
      id: 'annotations',
      header: 'Annotations',
      width: 'minmax(110px, 1fr)',
      title: (row) =>
        row.annotations
          .map(
            (a) =>
              `${a.name}: ${a.label ?? ''}${a.label !== null && a.score !== null ? ' · ' : ''}${a.score ?? ''}`,
          )
          .join('\n') || undefined,
      cell: (row) =>
        row.annotations.length === 0 && row.note_count === 0 ? null : (
          <>
            <AnnotationChips chips={row.annotations} max={2} />
            {row.note_count > 0 && (
              <span className="note-count" title={`${row.note_count} note(s)`}>
                ✎{row.note_count}
              </span>
            )}
          </>
        ),
    },
    timeColumn('start', 'Start time', 'start_time'),
    {
      id: 'latency',
      header: 'Latency',
      width: '90px',
      sortKey: 'latency_ms',
      align: 'right',
      className: 'num',
      cell: (row) => formatLatency(row.latency_ms),
    },
    {
      id: 'tokens',
      header: 'Tokens',
      width: '84px',
      sortKey: 'token_count_total',
      align: 'right',
      className: 'num',
      title: (row) =>
        `prompt ${formatCount(row.token_count_prompt)} · completion ${formatCount(row.token_count_completion)}`,
      cell: (row) => (row.token_count_total ? formatCount(row.token_count_total) : ''),
    },
    costColumn(rootsOnly ? 'Total cost' : 'Cost'),
  ];
}

/** The Traces tab (root spans) and the Spans tab (every span) of a project. */
export function SpansTab({ rootsOnly }: { rootsOnly: boolean }) {
  const project = useParams().project!;
  const navigate = useNavigate();
  const suffix = useRangeSuffix();
  const [, range] = useTimeRange();
  const [filter, setFilter] = useSearchParam('filter', '');
  const sort = useTableSort(UI_SPAN_SORTS);
  const params: SpanTableParams = useMemo(
    () => ({ ...range, root_spans_only: rootsOnly, filter, sort: sort.key, order: sort.order }),
    [range, rootsOnly, filter, sort.key, sort.order],
  );
  const query = useSpanPages(project, params);
  const cols = useMemo(() => columns(rootsOnly), [rootsOnly]);
  const queryKey = useMemo(() => keys.spans(project, params), [project, params]);

  const onOpen = useCallback(
    (row: UiSpanRow) =>
      navigate(
        `/projects/${encodeURIComponent(project)}/traces/${row.trace_id}${suffix}${suffix ? '&' : '?'}span=${row.span_id}`,
      ),
    [navigate, project, suffix],
  );
  const what = rootsOnly ? 'traces' : 'spans';

  return (
    <section className="tab-panel" aria-label={rootsOnly ? 'Traces' : 'Spans'}>
      <FilterBar project={project} value={filter} onApply={setFilter} />
      <ProjectTable
        label={rootsOnly ? 'Traces' : 'Spans'}
        project={project}
        query={query}
        queryKey={queryKey}
        columns={cols}
        sort={sort}
        onOpen={onOpen}
        what={what}
        errorBanner
        storageKey={what}
        empty={
          filter ? (
            <Empty title={`No ${what} match this filter`}>
              <p>
                Nothing matches <code>{filter}</code> in this time range.
              </p>
            </Empty>
          ) : (
            <Empty title={`No ${what} yet`}>
              <p>They appear here as they arrive.</p>
              <SendTracesHint project={project} />
            </Empty>
          )
        }
      />
    </section>
  );
}
