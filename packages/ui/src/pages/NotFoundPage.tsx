import { isRouteErrorResponse, Link, useRouteError } from 'react-router-dom';
import { useRangeSuffix } from '../app/search-params.js';
import { Empty, ErrorState } from '../components/states.js';

export function NotFoundPage() {
  return (
    <Empty title="Page not found">
      <p>
        Nothing lives at this address. <Link to="/projects">Back to the projects</Link>
      </p>
    </Empty>
  );
}

/**
 * A 404 inside a project (unknown trace, span or session): what was not found, and the way back to
 * the project (the same time range), not "Try again".
 */
export function NotFoundInProject({ what, id, project }: { what: string; id: string; project: string }) {
  const suffix = useRangeSuffix();
  const tab = what === 'session' ? 'sessions' : what === 'span' ? 'spans' : 'traces';
  return (
    <div className="state state-empty" role="alert" data-testid="not-found-in-project">
      <div className="state-icon" aria-hidden="true">
        ?
      </div>
      <h2>{`${what[0]!.toUpperCase()}${what.slice(1)} not found`}</h2>
      <div className="state-detail">
        <p>
          Project <strong>{project}</strong> has no {what} <code>{id}</code>: it may have been deleted (by
          retention or by hand), or the address is mistyped.
        </p>
        <p>
          <Link className="button" to={`/projects/${encodeURIComponent(project)}/${tab}${suffix}`}>
            Back to {project}
          </Link>
        </p>
      </div>
    </div>
  );
}

/** Last resort when a page throws while rendering. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <div className="page">
      <ErrorState error={error} retry={() => window.location.reload()} />
    </div>
  );
}
