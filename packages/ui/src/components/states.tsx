import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

/** Skeleton rows while a table's first page loads, so that the layout does not jump. */
export function SkeletonRows({ rows = 8 }: { rows?: number }) {
  return (
    <div className="skeleton" role="status" aria-label="Loading rows">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="skeleton-row" style={{ opacity: 1 - i / (rows + 2) }} />
      ))}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : undefined;
  const title =
    status === 404
      ? 'Not found'
      : status === 0
        ? 'Server unreachable'
        : status === 422
          ? 'Invalid request'
          : 'Something went wrong';
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon" aria-hidden="true">
        !
      </div>
      <h2>{title}</h2>
      <p className="state-detail">{error instanceof Error ? error.message : String(error)}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <div className="state-icon" aria-hidden="true">
        ∅
      </div>
      <h2>{title}</h2>
      {children && <div className="state-detail">{children}</div>}
    </div>
  );
}

/** How to send the first traces: shown wherever there is nothing yet. */
export function SendTracesHint({ project }: { project?: string }) {
  const origin = window.location.origin;
  return (
    <div className="hint">
      <p>Point an OpenTelemetry / OpenInference exporter at this server:</p>
      <pre>
        {`OTLP/HTTP  ${origin}/v1/traces
OTLP/gRPC  ${window.location.hostname}:4317${project && project !== 'default' ? `\nproject    resource attribute openinference.project.name=${project}` : ''}`}
      </pre>
    </div>
  );
}
