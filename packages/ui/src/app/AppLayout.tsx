import { Link, NavLink, Outlet } from 'react-router-dom';
import { useInferences } from '../api/inferences.js';
import { useLive } from './live.js';
import { useTheme } from './theme.js';

export function AppLayout() {
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
        </div>
      </header>
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
