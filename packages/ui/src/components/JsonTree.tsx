import { useState } from 'react';
import { CopyButton, copyText } from '../pages/trace/CopyButton.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A JSON value as a tree whose objects and arrays fold; the first levels start open. With `copy`,
 * each value (leaf or branch) has a button copying it (strings as they are, the rest as JSON).
 */
export function JsonTree({
  value,
  openDepth = 2,
  copy = false,
}: {
  value: unknown;
  openDepth?: number;
  copy?: boolean;
}) {
  return (
    <div className={`json-tree${copy ? ' copyable' : ''}`}>
      <JsonNode name={null} value={value as Json} depth={0} openDepth={openDepth} copy={copy} />
    </div>
  );
}

function JsonNode({
  name,
  value,
  depth,
  openDepth,
  copy,
}: {
  name: string | null;
  value: Json;
  depth: number;
  openDepth: number;
  copy: boolean;
}) {
  const [open, setOpen] = useState(depth < openDepth);
  const isArray = Array.isArray(value);
  const isObject = value !== null && typeof value === 'object';
  const label = name !== null && <span className="json-key">{name}: </span>;
  if (!isObject) {
    return (
      <div className="json-leaf">
        {label}
        <JsonScalar value={value} />
        {copy && <CopyButton value={copyText(value)} />}
      </div>
    );
  }
  const entries: [string, Json][] = isArray ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div className="json-branch">
      <button type="button" className="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="json-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {label}
        <span className="json-summary">{summary}</span>
      </button>
      {copy && <CopyButton value={copyText(value)} />}
      {open && (
        <div className="json-children">
          {entries.map(([key, child]) => (
            <JsonNode
              key={key}
              name={key}
              value={child}
              depth={depth + 1}
              openDepth={openDepth}
              copy={copy}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function JsonScalar({ value }: { value: Json }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">"{value}"</span>;
  if (typeof value === 'number') return <span className="json-number">{value}</span>;
  return <span className="json-boolean">{String(value)}</span>;
}
