import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation } from 'react-router-dom';
import { logOut, useViewer } from '../api/auth.js';
import { useInferences } from '../api/inferences.js';
import { ErrorState, Loading } from '../components/states.js';
import { LiveProvider, useLive } from './live.js';
import { useTheme } from './theme.js';

/**
 * The app behind its login: without a session the client goes to /login (on the 401), a user who
 * must choose a new password goes to /reset-password first. Without authentication (ANONYMOUS) it
 * is the app as it always was. The live feed starts only once someone may read it.
 */
export function AppLayout() {
  const viewer = useViewer();
  const location = useLocation();
  if (!viewer.data) return viewer.error ? <ErrorState error={viewer.error} /> : <Loading />;
  if (viewer.data.auth_method === 'LOCAL' && viewer.data.password_needs_reset) {
    const back = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/reset-password?return_to=${back}`} replace />;
  }
  return (
    <LiveProvider>
      <AppFrame />
    </LiveProvider>
  );
}

function UserMenu() {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const menu = useRef<HTMLDetailsElement>(null);
  const { pathname } = useLocation();
  // A link followed from the menu closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new page
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [pathname]);
  if (viewer.data?.auth_method !== 'LOCAL') return null;
  const out = async () => {
    await logOut().catch(() => undefined);
    queryClient.clear();
    window.location.assign('/login');
  };
  return (
    <details className="user-menu" data-testid="user-menu" ref={menu}>
      <summary className="button ghost">
        {viewer.data.username} <span className="role-badge">{viewer.data.role}</span>
      </summary>
      <div className="user-menu-items">
        <span className="muted small">{viewer.data.email}</span>
        <Link to="/settings/api-keys">API keys</Link>
        {(viewer.data.role === 'ADMIN' || viewer.data.role === 'SYSTEM') && (
          <Link to="/settings/users">Users</Link>
        )}
        <Link to="/reset-password">Change password</Link>
        <button type="button" className="button ghost" onClick={() => void out()}>
          Log out
        </button>
      </div>
    </details>
  );
}

/** Settings (keys and users) exist only with authentication on. */
function SettingsLink() {
  const viewer = useViewer();
  return viewer.data?.auth_method === 'LOCAL' ? <NavLink to="/settings">Settings</NavLink> : null;
}

function AppFrame() {
  const [theme, toggleTheme] = useTheme();
  const { status } = useLive();
  const inferences = useInferences();
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/projects" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Fawkes
        </Link>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/projects">Projects</NavLink>
          {inferences.data && <NavLink to="/model">Model</NavLink>}
          <SettingsLink />
          <a href="/docs" target="_blank" rel="noreferrer">
            API docs
          </a>
        </nav>
        <div className="topbar-right">
          <span className={`live live-${status}`} title={`Live updates: ${status}`} data-testid="live-status">
            <span className="live-dot" aria-hidden="true" />
            {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline'}
          </span>
          <button
            type="button"
            className="button ghost icon"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
            title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
          <UserMenu />
        </div>
      </header>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
