import { Navigate, NavLink, Outlet, useLocation } from 'react-router-dom';
import { type LocalUser, useViewer } from '../../api/auth.js';
import { ErrorState, Loading } from '../../components/states.js';

export const isAdmin = (user: LocalUser) => user.role === 'ADMIN' || user.role === 'SYSTEM';

/**
 * /settings, as Phoenix's: API keys for everyone who is logged in (their own; admins also the system
 * keys) and the users (admins only). Without authentication there is nothing to set: the page says so.
 */
export function SettingsLayout() {
  const viewer = useViewer();
  const location = useLocation();
  if (!viewer.data) return viewer.error ? <ErrorState error={viewer.error} /> : <Loading />;
  if (viewer.data.auth_method !== 'LOCAL') {
    return (
      <div className="page" data-testid="settings-auth-off">
        <div className="page-header">
          <h1>Settings</h1>
        </div>
        <p className="muted">
          Authentication is off, so there are no users or API keys: anyone who reaches the server may read and
          write. Start Fawkes with <code>PHOENIX_ENABLE_AUTH=true</code> and <code>PHOENIX_SECRET</code> to
          manage them here.
        </p>
      </div>
    );
  }
  const admin = isAdmin(viewer.data);
  if (!admin && location.pathname.startsWith('/settings/users'))
    return <Navigate to="/settings/api-keys" replace />;
  return (
    <div className="page settings-page">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <nav className="tabs" aria-label="Settings">
        <NavLink to="/settings/api-keys">API keys</NavLink>
        {admin && <NavLink to="/settings/users">Users</NavLink>}
      </nav>
      <Outlet />
    </div>
  );
}
