import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import { useSession } from '../api/queries.js';
import type { UiSessionTurn } from '../api/types.js';
import { useRangeSuffix } from '../app/search-params.js';
import { AnnotationsPanel } from '../components/AnnotationsPanel.js';
import { maybeJson } from '../components/attributes.js';
import { AnnotationChips, StatusBadge } from '../components/badges.js';
import { formatDollars } from '../components/dollars.js';
import { formatCount, formatLatency, formatTime } from '../components/format.js';
import { JsonTree } from '../components/JsonTree.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { NotFoundInProject } from './NotFoundPage.js';

export function SessionPage() {
  const { project, sessionId } = useParams() as { project: string; sessionId: string };
  const session = useSession(sessionId);
  const suffix = useRangeSuffix();
  const base = `/projects/${encodeURIComponent(project)}`;
  const header = (
    <div className="breadcrumbs">
      <Link to={`/projects${suffix}`}>Projects</Link> /{' '}
      <Link to={`${base}/sessions${suffix}`}>{project}</Link> / session
    </div>
  );
  if (session.isPending) {
    return (
      <div className="page">
        {header}
        <Loading label="Loading session…" />
      </div>
    );
  }
  if (session.isError && session.error instanceof ApiError && session.error.status === 404) {
    return (
      <div className="page">
        {header}
        <NotFoundInProject what="session" id={sessionId} project={project} />
      </div>
    );
  }
  if (session.isError) {
    return (
      <div className="page">
        {header}
        <ErrorState error={session.error} retry={() => void session.refetch()} />
      </div>
    );
  }
  const s = session.data;
  return (
    <div className="page session-page">
      {header}
      <div className="page-header">
        <div>
          <h1 className="mono-title">{s.session_id}</h1>
          <div className="muted small">
            {formatTime(s.start_time)} → {formatTime(s.end_time)}
          </div>
        </div>
        <dl className="stats compact">
          <div className="stat">
            <dt>Turns</dt>
            <dd>{formatCount(s.num_traces)}</dd>
          </div>
          <div
            className="stat"
            title={`prompt ${formatCount(s.token_count_prompt)} · completion ${formatCount(s.token_count_completion)}`}
          >
            <dt>Tokens</dt>
            <dd>{formatCount(s.token_count_total)}</dd>
          </div>
          <div className="stat">
            <dt>Latency p50</dt>
            <dd>{formatLatency(s.latency_ms_p50)}</dd>
          </div>
          <div className="stat">
            <dt>Latency p99</dt>
            <dd>{formatLatency(s.latency_ms_p99)}</dd>
          </div>
          <div className="stat">
            <dt>Errors</dt>
            <dd>{formatCount(s.error_count)}</dd>
          </div>
        </dl>
      </div>
      <div className="session-layout">
        <section className="conversation" aria-label="Conversation">
          {s.turns.length === 0 ? (
            <Empty title="No turns yet" />
          ) : (
            <ol className="turns">
              {s.turns.map((turn, i) => (
                <Turn
                  key={turn.trace_id}
                  turn={turn}
                  index={i}
                  href={`${base}/traces/${turn.trace_id}${suffix}`}
                />
              ))}
            </ol>
          )}
          {s.truncated && <div className="banner">Only the first {s.turns.length} turns are shown.</div>}
        </section>
        <aside className="session-aside">
          <AnnotationsPanel
            kind="session"
            target={s.session_id}
            project={project}
            annotations={s.annotations}
          />
        </aside>
      </div>
    </div>
  );
}

function Turn({ turn, index, href }: { turn: UiSessionTurn; index: number; href: string }) {
  return (
    <li className="turn" data-testid="session-turn">
      <div className="turn-meta">
        <span className="strong">Turn {index + 1}</span>
        <StatusBadge code={turn.status_code} />
        <span className="muted small">{formatTime(turn.start_time)}</span>
        <span className="muted small">{formatLatency(turn.latency_ms)}</span>
        {turn.token_count_total > 0 && (
          <span className="muted small">{formatCount(turn.token_count_total)} tokens</span>
        )}
        {turn.cost_total !== null && (
          <span className="muted small" data-testid="turn-cost">
            {formatDollars(turn.cost_total)}
          </span>
        )}
        <AnnotationChips chips={turn.annotations} max={4} />
        <Link className="turn-link" to={href}>
          View trace →
        </Link>
      </div>
      {turn.input !== null && (
        <div className="bubble role-user">
          <div className="bubble-role">
            user{turn.user_id && <span className="muted"> · {turn.user_id}</span>}
          </div>
          <Message value={turn.input} mime={turn.input_mime_type} />
        </div>
      )}
      {turn.output !== null && (
        <div className="bubble role-assistant">
          <div className="bubble-role">assistant</div>
          <Message value={turn.output} mime={turn.output_mime_type} />
        </div>
      )}
    </li>
  );
}

function Message({ value, mime }: { value: string; mime: string | null }) {
  if (mime === 'application/json') {
    const parsed = maybeJson(value);
    if (typeof parsed !== 'string') return <JsonTree value={parsed} openDepth={1} />;
  }
  return <div className="bubble-text">{value}</div>;
}
