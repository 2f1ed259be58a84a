import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';
import { CopyButton } from '../pages/trace/CopyButton.js';

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

/** The copy-paste snippets that send traces to this server, for Python and TypeScript. */
export function sendTracesSnippets(origin: string, project: string): { python: string; typescript: string } {
  const endpoint = `${origin}/v1/traces`;
  const name = JSON.stringify(project);
  return {
    python: `# pip install arize-phoenix-otel openinference-instrumentation-openai
from phoenix.otel import register

tracer_provider = register(
    project_name=${name},
    endpoint="${endpoint}",
    auto_instrument=True,  # instruments the installed OpenInference libraries (OpenAI here)
)`,
    typescript: `// npm install @opentelemetry/sdk-trace-node @opentelemetry/exporter-trace-otlp-proto @opentelemetry/resources @arizeai/openinference-semantic-conventions
import { SEMRESATTRS_PROJECT_NAME } from '@arizeai/openinference-semantic-conventions';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({ [SEMRESATTRS_PROJECT_NAME]: ${name} }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: '${endpoint}' }))],
});
provider.register();`,
  };
}

/**
 * How to send the first traces: shown wherever there is nothing yet. The endpoints of this server,
 * and copy-paste snippets (Python, TypeScript) with the project's name filled in.
 */
export function SendTracesHint({ project }: { project?: string }) {
  const origin = window.location.origin;
  const snippets = sendTracesSnippets(origin, project ?? 'default');
  return (
    <div className="hint send-traces" data-testid="send-traces">
      <p>Point an OpenTelemetry / OpenInference exporter at this server:</p>
      <pre>
        {`OTLP/HTTP  ${origin}/v1/traces
OTLP/gRPC  ${window.location.hostname}:4317${project && project !== 'default' ? `\nproject    resource attribute openinference.project.name=${project}` : ''}`}
      </pre>
      <div className="snippet-head">
        <span className="strong">Python</span> <CopyButton value={snippets.python} label="Copy Python" />
      </div>
      <pre className="code" data-testid="snippet-python">
        {snippets.python}
      </pre>
      <div className="snippet-head">
        <span className="strong">TypeScript</span>{' '}
        <CopyButton value={snippets.typescript} label="Copy TypeScript" />
      </div>
      <pre className="code" data-testid="snippet-typescript">
        {snippets.typescript}
      </pre>
    </div>
  );
}
