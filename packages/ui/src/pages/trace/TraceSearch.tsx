import { useEffect, useRef } from 'react';

/**
 * The search box of the trace view: the query, "n of m" matches, previous / next (also Enter and
 * Shift+Enter) and whether the tree shows only the matches (and their ancestors).
 */
export function TraceSearch(props: {
  query: string;
  onQuery: (query: string) => void;
  count: number;
  current: number;
  onStep: (step: 1 | -1) => void;
  filter: boolean;
  onFilter: (filter: boolean) => void;
}) {
  const { query, onQuery, count, current, onStep, filter, onFilter } = props;
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Ctrl/⌘+F inside the trace view searches the trace, as in Phoenix.
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'f' && input.current) {
        event.preventDefault();
        input.current.focus();
        input.current.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const active = query.trim() !== '';
  return (
    <search className="trace-search">
      <input
        ref={input}
        type="search"
        className="input small"
        placeholder="Search spans: name or attribute text"
        aria-label="Search in this trace"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onStep(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') onQuery('');
        }}
      />
      {active && (
        <span className="muted small trace-search-count" data-testid="trace-search-count" aria-live="polite">
          {count === 0 ? 'no match' : `${current + 1} of ${count}`}
        </span>
      )}
      <button
        type="button"
        className="button ghost small"
        aria-label="Previous match"
        disabled={count === 0}
        onClick={() => onStep(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        className="button ghost small"
        aria-label="Next match"
        disabled={count === 0}
        onClick={() => onStep(1)}
      >
        ↓
      </button>
      <label className="small">
        <input type="checkbox" checked={filter} onChange={(e) => onFilter(e.target.checked)} /> only matches
      </label>
    </search>
  );
}
