import { Link, NavLink, Outlet, useParams } from 'react-router-dom';
import { useProjectCost } from '../api/costs.js';
import { useProjectStats } from '../api/queries.js';
import { useRangeSuffix, useTimeRange } from '../app/search-params.js';
import { formatDollars } from '../components/dollars.js';
import { formatCount, formatLatency, formatRelative } from '../components/format.js';
import { ErrorState } from '../components/states.js';
import { TimeRangePicker } from '../components/TimeRangePicker.js';
import { Stat } from './ProjectsPage.js';

export function ProjectLayout() {
  const project = useParams().project!;
  const [rangeKey, range, setRange] = useTimeRange();
  const stats = useProjectStats(project, range);
  const suffix = useRangeSuffix();
  const s = stats.data;
  const cost = useProjectCost(project, range).data;

  return (
    <div className="page project-page">
      <div className="page-header">
        <div>
          <div className="breadcrumbs">
            <Link to={`/projects${suffix}`}>Projects</Link> /
          </div>
          <h1>{project}</h1>
        </div>
        <div className="toolbar">
          <TimeRangePicker value={rangeKey} onChange={setRange} />
        </div>
      </div>
      {stats.isError ? (
        <ErrorState error={stats.error} retry={() => void stats.refetch()} />
      ) : (
        <>
          <dl className={`stats stats-bar${stats.isPending ? ' pending' : ''}`} aria-busy={stats.isPending}>
            <Stat label="Traces" value={formatCount(s?.trace_count)} />
            <Stat label="Spans" value={formatCount(s?.span_count)} />
            <Stat label="Sessions" value={formatCount(s?.session_count)} />
            <Stat label="Latency p50" value={formatLatency(s?.latency_ms_p50)} />
            <Stat label="Latency p99" value={formatLatency(s?.latency_ms_p99)} />
            <Stat
              label="Tokens"
              value={formatCount(s?.token_count_total)}
              title={
                s
                  ? `prompt ${formatCount(s.token_count_prompt)} · completion ${formatCount(s.token_count_completion)}`
                  : undefined
              }
            />
            <Stat
              label="Total cost"
              value={cost ? formatDollars(cost.total) : '—'}
              title={
                cost
                  ? `prompt ${formatDollars(cost.prompt)} · completion ${formatDollars(cost.completion)}`
                  : undefined
              }
            />
            <Stat label="Last activity" value={s ? formatRelative(s.last_activity) : '—'} />
          </dl>
          <nav className="tabs" aria-label="Project views">
            <NavLink to={`traces${suffix}`}>Traces</NavLink>
            <NavLink to={`spans${suffix}`}>Spans</NavLink>
            <NavLink to={`sessions${suffix}`}>Sessions</NavLink>
            <NavLink to={`metrics${suffix}`}>Metrics</NavLink>
            <NavLink to={`config${suffix}`}>Settings</NavLink>
          </nav>
          <Outlet />
        </>
      )}
    </div>
  );
}
