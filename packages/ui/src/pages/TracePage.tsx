import { type ReactNode, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import { useTrace } from '../api/queries.js';
import type { UiSpanDetail, UiTrace } from '../api/types.js';
import { useRangeSuffix } from '../app/search-params.js';
import { AnnotationsPanel } from '../components/AnnotationsPanel.js';
import { eventAttribute } from '../components/attributes.js';
import { AnnotationChips, KindBadge, StatusBadge } from '../components/badges.js';
import { formatCount, formatLatency, formatTime } from '../components/format.js';
import { JsonTree } from '../components/JsonTree.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { NotFoundInProject } from './NotFoundPage.js';
import { Block, SpanInfo } from './SpanInfo.js';
import { SpanTree } from './SpanTree.js';
import { buildTree, visibleRows } from './span-tree.js';
import { CopyButton } from './trace/CopyButton.js';
import { TraceSearch } from './trace/TraceSearch.js';
import { matchingSpans, searchableText, stepMatch, withAncestors } from './trace/trace-search.js';

export function TracePage() {
  const { project, traceId } = useParams() as { project: string; traceId: string };
  const trace = useTrace(traceId);
  const suffix = useRangeSuffix();
  const base = `/projects/${encodeURIComponent(project)}`;

  const header = (
    <div className="breadcrumbs">
      <Link to={`/projects${suffix}`}>Projects</Link> / <Link to={`${base}/traces${suffix}`}>{project}</Link>{' '}
      / trace
    </div>
  );
  if (trace.isPending) {
    return (
      <div className="page">
        {header}
        <Loading label="Loading trace…" />
      </div>
    );
  }
  if (trace.isError && trace.error instanceof ApiError && trace.error.status === 404) {
    return (
      <div className="page">
        {header}
        <NotFoundInProject what="trace" id={traceId} project={project} />
      </div>
    );
  }
  if (trace.isError) {
    return (
      <div className="page">
        {header}
        <ErrorState error={trace.error} retry={() => void trace.refetch()} />
      </div>
    );
  }
  return <TraceView trace={trace.data} project={project} header={header} />;
}

function TraceView({ trace: t, project, header }: { trace: UiTrace; project: string; header: ReactNode }) {
  const suffix = useRangeSuffix();
  const [params, setParams] = useSearchParams();
  const base = `/projects/${encodeURIComponent(project)}`;
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState(false);
  // Tree order (depth-first), so that next / previous walk the tree from top to bottom.
  const ordered = useMemo(() => visibleRows(buildTree(t.spans), new Set()).map((n) => n.span), [t.spans]);
  const index = useMemo(() => new Map(t.spans.map((s) => [s.span_id, searchableText(s)])), [t.spans]);
  const matches = useMemo(() => matchingSpans(ordered, query, index), [ordered, query, index]);
  const matchIds = useMemo(() => new Set(matches.map((s) => s.span_id)), [matches]);
  const keep = useMemo(
    () => (filter && query.trim() ? withAncestors(t.spans, matches) : null),
    [filter, query, matches, t.spans],
  );
  const root = t.spans.find((s) => s.parent_id === null) ?? t.spans[0];
  const selectedId = params.get('span') ?? root?.span_id ?? null;
  const selected = t.spans.find((s) => s.span_id === selectedId) ?? root;
  const current = matches.findIndex((s) => s.span_id === selected?.span_id);
  const select = (spanId: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('span', spanId);
        return next;
      },
      { replace: true },
    );
  const tokens = root ? root.cumulative_token_count_prompt + root.cumulative_token_count_completion : 0;
  const onQuery = (next: string) => {
    setQuery(next);
    // The first match is selected unless the selected span still matches.
    const found = matchingSpans(ordered, next, index);
    if (found.length > 0 && !found.some((s) => s.span_id === selected?.span_id)) select(found[0]!.span_id);
  };
  const step = (direction: 1 | -1) => {
    const next = matches[stepMatch(matches.length, current, direction)];
    if (next) select(next.span_id);
  };

  return (
    <div className="page trace-page">
      {header}
      <div className="page-header">
        <div>
          <h1 className="trace-title">
            {root?.name ?? 'Trace'} <StatusBadge code={root?.status_code ?? null} />
          </h1>
          <div className="muted code small">
            trace {t.trace_id} <CopyButton value={t.trace_id} label="Copy id" />
          </div>
        </div>
        <dl className="stats compact">
          <div className="stat">
            <dt>Latency</dt>
            <dd>{formatLatency(t.latency_ms)}</dd>
          </div>
          <div className="stat">
            <dt>Spans</dt>
            <dd>{formatCount(t.span_count)}</dd>
          </div>
          <div className="stat">
            <dt>Tokens</dt>
            <dd>{formatCount(tokens)}</dd>
          </div>
          <div className="stat">
            <dt>Started</dt>
            <dd>{formatTime(t.start_time)}</dd>
          </div>
          {t.session_id && (
            <div className="stat">
              <dt>Session</dt>
              <dd>
                <Link to={`${base}/sessions/${encodeURIComponent(t.session_id)}${suffix}`}>
                  {t.session_id}
                </Link>
              </dd>
            </div>
          )}
        </dl>
      </div>
      {t.trace_annotations.length > 0 && (
        <div className="trace-annotations">
          <AnnotationChips chips={t.trace_annotations.filter((a) => a.name !== 'note')} max={8} />
        </div>
      )}
      {params.get('span') && !t.spans.some((s) => s.span_id === params.get('span')) && (
        <div className="banner" role="alert" data-testid="span-not-found">
          Span <code>{params.get('span')}</code> is not in this trace
          {t.truncated ? ' (or not among the spans shown)' : ''}; showing the root span.{' '}
          <Link to={`${base}/traces/${encodeURIComponent(t.trace_id)}${suffix}`}>
            Back to the whole trace
          </Link>
        </div>
      )}
      {t.truncated && (
        <div className="banner">
          This trace has {formatCount(t.span_count)} spans; the first {formatCount(t.spans.length)} are shown.
        </div>
      )}
      {t.spans.length === 0 ? (
        <Empty title="This trace has no spans" />
      ) : (
        <div className="trace-layout">
          <SpanTree
            spans={t.spans}
            traceStart={t.start_us}
            traceEnd={t.end_us}
            selected={selected?.span_id ?? null}
            onSelect={select}
            matches={matchIds}
            keep={keep}
            tools={
              <TraceSearch
                query={query}
                onQuery={onQuery}
                count={matches.length}
                current={current}
                onStep={step}
                filter={filter}
                onFilter={setFilter}
              />
            }
          />
          {selected && <SpanDetails key={selected.span_id} span={selected} trace={t} project={project} />}
        </div>
      )}
    </div>
  );
}

type Tab = 'info' | 'attributes' | 'events' | 'annotations' | 'trace-annotations';

function SpanDetails({ span, trace, project }: { span: UiSpanDetail; trace: UiTrace; project: string }) {
  const [tab, setTab] = useState<Tab>('info');
  const spanAnnotations = trace.span_annotations.filter((a) => a.target === span.span_id);
  const exceptions = span.events.filter((e) => e.name === 'exception');
  const tabs: [Tab, string][] = [
    ['info', 'Info'],
    ['attributes', 'Attributes'],
    ['events', `Events (${span.events.length})`],
    ['annotations', `Annotations (${spanAnnotations.length})`],
    ['trace-annotations', `Trace annotations (${trace.trace_annotations.length})`],
  ];
  return (
    <section className="span-details" aria-label="Span details">
      <div className="span-details-head">
        <h2>
          <KindBadge kind={span.span_kind} /> {span.name}{' '}
          <StatusBadge code={span.status_code} message={span.status_message} />
        </h2>
        <div className="muted small">
          <span className="code">{span.span_id}</span> <CopyButton value={span.span_id} label="Copy id" /> ·{' '}
          {formatTime(span.start_time)} · {formatLatency(span.latency_ms)}
          {span.cumulative_token_count_prompt + span.cumulative_token_count_completion > 0 &&
            ` · ${formatCount(span.cumulative_token_count_prompt)} prompt + ${formatCount(span.cumulative_token_count_completion)} completion tokens`}
        </div>
        <AnnotationChips chips={spanAnnotations.filter((a) => a.name !== 'note')} max={6} />
      </div>
      <div className="tabs small" role="tablist">
        {tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? 'active' : ''}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="span-details-body" role="tabpanel">
        {tab === 'info' && (
          <>
            {exceptions.length > 0 && <Exceptions events={exceptions} />}
            <SpanInfo span={span} />
          </>
        )}
        {tab === 'attributes' && <JsonTree value={span.attributes} openDepth={3} copy />}
        {tab === 'events' &&
          (span.events.length === 0 ? (
            <p className="muted">This span has no events.</p>
          ) : (
            <ol className="events">
              {span.events.map((event, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: events are ordered
                <li key={i} className={`event${event.name === 'exception' ? ' exception' : ''}`}>
                  <div className="event-head">
                    <span className="strong">{event.name}</span>{' '}
                    <span className="muted small">{formatTime(event.timestamp)}</span>
                  </div>
                  {event.name === 'exception' ? (
                    <ExceptionBody attributes={event.attributes} />
                  ) : (
                    Object.keys(event.attributes).length > 0 && (
                      <JsonTree value={event.attributes} openDepth={1} />
                    )
                  )}
                </li>
              ))}
            </ol>
          ))}
        {tab === 'annotations' && (
          <AnnotationsPanel
            kind="span"
            target={span.span_id}
            project={project}
            annotations={trace.span_annotations}
          />
        )}
        {tab === 'trace-annotations' && (
          <AnnotationsPanel
            kind="trace"
            target={trace.trace_id}
            project={project}
            annotations={trace.trace_annotations}
          />
        )}
      </div>
    </section>
  );
}

function Exceptions({ events }: { events: UiSpanDetail['events'] }) {
  return (
    <Block title={`Exceptions (${events.length})`}>
      {events.map((event, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: events are ordered
        <div key={i} className="exception-box">
          <ExceptionBody attributes={event.attributes} />
        </div>
      ))}
    </Block>
  );
}

function ExceptionBody({ attributes }: { attributes: Record<string, unknown> }) {
  const type = eventAttribute(attributes, 'exception.type');
  const message = eventAttribute(attributes, 'exception.message');
  const stack = eventAttribute(attributes, 'exception.stacktrace');
  return (
    <div className="exception" data-testid="exception">
      <div className="exception-title">
        {type && <span className="strong">{type}</span>}
        {message && <span>: {message}</span>}
      </div>
      {stack && <pre className="stacktrace">{stack}</pre>}
    </div>
  );
}
