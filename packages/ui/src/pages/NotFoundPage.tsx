import { isRouteErrorResponse, Link, useRouteError } from 'react-router-dom';
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
