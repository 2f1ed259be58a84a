import { type QueryErrorInfo, validateFilter } from '@fawkes/query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';

const EXAMPLES = [
  "span_kind == 'LLM'",
  "status_code == 'ERROR'",
  'latency_ms > 1000',
  'llm.token_count.total > 100',
  "'error' in status_message",
];

/** The problem with a filter as typed, or null when it is empty or valid. */
export function filterProblem(text: string): QueryErrorInfo | null {
  if (text.trim() === '') return null;
  const result = validateFilter(text);
  return result.ok ? null : result.error;
}

/**
 * The filter bar: an expression of the query language, checked in the browser as the user types
 * (the error's place is underlined, the message says what was expected). Enter applies a valid
 * filter; Escape restores the applied one.
 */
export function FilterBar({ value, onApply }: { value: string; onApply: (filter: string) => void }) {
  const [text, setText] = useState(value);
  const inputRef = useRef<HTMLInputElement>(null);
  const mirrorRef = useRef<HTMLDivElement>(null);
  const errorId = useId();
  useEffect(() => setText(value), [value]);
  const problem = useMemo(() => filterProblem(text), [text]);
  const dirty = text.trim() !== value.trim();

  const apply = () => {
    if (!problem) onApply(text.trim());
  };

  return (
    <div className="filter-bar">
      <div className={`filter-field${problem ? ' invalid' : ''}`}>
        <span className="filter-label" aria-hidden="true">
          filter
        </span>
        <div className="filter-input-wrap">
          <div className="filter-mirror" ref={mirrorRef} aria-hidden="true">
            {problem ? (
              <>
                {text.slice(0, problem.position)}
                <mark className="filter-squiggle">
                  {text.slice(problem.position, problem.position + Math.max(problem.length, 1)) || ' '}
                </mark>
                {text.slice(problem.position + Math.max(problem.length, 1))}
              </>
            ) : (
              text
            )}
          </div>
          <input
            ref={inputRef}
            className="filter-input"
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="e.g. span_kind == 'LLM' and latency_ms > 500"
            aria-label="Filter expression"
            aria-invalid={problem !== null}
            aria-describedby={problem ? errorId : undefined}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onScroll={(e) => {
              if (mirrorRef.current) mirrorRef.current.scrollLeft = e.currentTarget.scrollLeft;
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') apply();
              if (e.key === 'Escape') setText(value);
            }}
          />
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
          {EXAMPLES.map((example) => (
            <button
              key={example}
              type="button"
              className="link-button code"
              onClick={() => {
                setText(example);
                inputRef.current?.focus();
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
