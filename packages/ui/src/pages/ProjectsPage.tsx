import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useInferences } from '../api/inferences.js';
import { useProjects } from '../api/queries.js';
import type { UiProjectStats } from '../api/types.js';
import { useRangeSuffix, useTimeRange } from '../app/search-params.js';
import { formatCount, formatLatency, formatRelative } from '../components/format.js';
import { Empty, ErrorState, Loading, SendTracesHint } from '../components/states.js';
import { TimeRangePicker } from '../components/TimeRangePicker.js';

export function ProjectsPage() {
  const [rangeKey, range, setRange] = useTimeRange();
  const projects = useProjects(range);
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<'name' | 'activity'>('activity');
  const suffix = useRangeSuffix();
  const inferences = useInferences();

  const shown = useMemo(() => {
    const all = projects.data?.data ?? [];
    const needle = search.trim().toLowerCase();
    const matching = needle ? all.filter((p) => p.name.toLowerCase().includes(needle)) : all;
    return [...matching].sort((a, b) =>
      order === 'name'
        ? a.name.localeCompare(b.name)
        : (b.last_activity ?? '').localeCompare(a.last_activity ?? ''),
    );
  }, [projects.data, search, order]);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Projects</h1>
        <div className="toolbar">
          <input
            className="input"
            type="search"
            placeholder="Search projects"
            aria-label="Search projects"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <select
            className="input"
            aria-label="Order projects"
            value={order}
            onChange={(e) => setOrder(e.target.value as 'name' | 'activity')}
          >
            <option value="activity">Latest activity first</option>
            <option value="name">By name</option>
          </select>
          <TimeRangePicker value={rangeKey} onChange={setRange} />
        </div>
      </div>
      {inferences.data && (
        <Link to="/model" className="card model-card" data-testid="model-card">
          <h2>Model</h2>
          <p className="muted">
            {formatCount(inferences.data.primary.row_count)} primary rows
            {inferences.data.reference
              ? ` · ${formatCount(inferences.data.reference.row_count)} reference rows`
              : ''}{' '}
            · {inferences.data.dimensions.length} dimensions · {inferences.data.embeddings.length} embeddings
          </p>
        </Link>
      )}
      {projects.isPending ? (
        <Loading label="Loading projects…" />
      ) : projects.isError ? (
        <ErrorState error={projects.error} retry={() => void projects.refetch()} />
      ) : projects.data.data.length === 0 ? (
        <Empty title="No projects yet">
          <p>Projects appear here as soon as the first spans arrive.</p>
          <SendTracesHint />
        </Empty>
      ) : shown.length === 0 ? (
        <Empty title="No project matches">
          <p>Nothing is named like “{search}”.</p>
        </Empty>
      ) : (
        <ul className="project-grid" aria-label="Projects">
          {shown.map((project) => (
            <li key={project.id}>
              <ProjectCard
                project={project}
                href={`/projects/${encodeURIComponent(project.name)}/traces${suffix}`}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ProjectCard({ project, href }: { project: UiProjectStats; href: string }) {
  return (
    <Link to={href} className="card project-card" data-testid="project-card">
      <div className="project-card-head">
        <h2>{project.name}</h2>
        <span className="muted" title={project.last_activity ?? undefined}>
          {formatRelative(project.last_activity)}
        </span>
      </div>
      {project.description && <p className="muted">{project.description}</p>}
      <dl className="stats">
        <Stat label="Traces" value={formatCount(project.trace_count)} />
        <Stat label="Spans" value={formatCount(project.span_count)} />
        <Stat label="Sessions" value={formatCount(project.session_count)} />
        <Stat label="Latency p50" value={formatLatency(project.latency_ms_p50)} />
        <Stat label="Latency p99" value={formatLatency(project.latency_ms_p99)} />
        <Stat
          label="Tokens"
          value={formatCount(project.token_count_total)}
          title={`prompt ${formatCount(project.token_count_prompt)} · completion ${formatCount(project.token_count_completion)}`}
        />
      </dl>
    </Link>
  );
}

export function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div className="stat" title={title}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
