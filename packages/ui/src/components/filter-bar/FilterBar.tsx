import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useMemo, useRef, useState } from 'react';
import { enc, get } from '../../api/client.js';
import type { UiFilterVocabulary } from '../../api/types.js';
import { filterProblem } from './tokens.js';

// CodeMirror is loaded with the first filter bar drawn, not with the app.
const FilterEditor = lazy(() => import('./FilterEditor.js'));

const EXAMPLES = {
  spans: ["span_kind == 'LLM'", "status_code == 'ERROR'", 'latency_ms > 1000', 'cost.total > 0.01'],
  sessions: ["status_code == 'ERROR'", "'refund' in input.value", 'cumulative_token_count.total > 1000'],
} as const;

/** What the project's filter bar suggests (`GET /v1/ui/projects/{p}/filter_vocabulary`). */
export function useFilterVocabulary(project: string) {
  return useQuery({
    queryKey: ['filter-vocabulary', project],
    queryFn: ({ signal }) =>
      get<UiFilterVocabulary>(`/v1/ui/projects/${enc(project)}/filter_vocabulary`, undefined, signal),
    staleTime: 60_000,
  });
}

/**
 * The filter bar of the spans, traces and sessions tables: an expression of the query language in
 * a CodeMirror editor, highlighted by the query package's tokenizer, checked by its checker as the
 * user types (the error underlined at its characters, the message below), completing the span
 * fields, attribute paths, metadata keys and annotation names the project has. Enter applies a
 * valid filter (the page keeps it in the URL); Escape restores the applied one.
 */
export function FilterBar({
  project,
  value,
  onApply,
  examples = 'spans',
}: {
  project: string;
  value: string;
  onApply: (filter: string) => void;
  examples?: keyof typeof EXAMPLES;
}) {
  const [text, setText] = useState(value);
  const errorId = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const vocabulary = useFilterVocabulary(project);
  useEffect(() => setText(value), [value]);
  const problem = useMemo(() => filterProblem(text), [text]);
  const dirty = text.trim() !== value.trim();
  const latest = useRef({ text, problem });
  latest.current = { text, problem };

  const apply = () => {
    if (!latest.current.problem) onApply(latest.current.text.trim());
  };

  return (
    <div className="filter-bar">
      <div className={`filter-field${problem ? ' invalid' : ''}`}>
        <span className="filter-label" aria-hidden="true">
          filter
        </span>
        <div ref={wrap} style={{ flex: 1, minWidth: 0, display: 'flex' }}>
          <Suspense fallback={<div className="filter-editor-loading" style={{ flex: 1, minHeight: 30 }} />}>
            <FilterEditor
              text={text}
              onChange={setText}
              onEnter={apply}
              onEscape={() => setText(value)}
              vocabulary={vocabulary.data}
              describedBy={problem ? errorId : undefined}
            />
          </Suspense>
        </div>
        {value !== '' && (
          <button
            type="button"
            className="button ghost small"
            onClick={() => {
              setText('');
              onApply('');
            }}
          >
            Clear
          </button>
        )}
        <button type="button" className="button small" disabled={!!problem || !dirty} onClick={apply}>
          Apply
        </button>
      </div>
      {problem ? (
        <div id={errorId} className="filter-error" role="alert">
          <strong>{problem.reason}</strong> at column {problem.column}
          {problem.expected && problem.expected.length > 0 && (
            <> — expected {problem.expected.join(' or ')}</>
          )}
          {problem.hint && <span className="filter-hint"> {problem.hint}</span>}
        </div>
      ) : dirty ? (
        <div className="filter-note">Press Enter to apply</div>
      ) : value === '' ? (
        <div className="filter-examples">
          Try:{' '}
          {EXAMPLES[examples].map((example) => (
            <button
              key={example}
              type="button"
              className="link-button code"
              onClick={() => {
                setText(example);
                wrap.current?.querySelector<HTMLElement>('.cm-content')?.focus();
              }}
            >
              {example}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
