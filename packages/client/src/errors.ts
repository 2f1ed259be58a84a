/** Every error the client throws on purpose is a FawkesClientError. */
export class FawkesClientError extends Error {
  override name = 'FawkesClientError';
}

/** One item of a FastAPI 422 answer: where in the request (`["body", "data", 0, "name"]`) and what. */
export interface ValidationDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/**
 * The server answered with an error status. `detail` is what the server said: Phoenix's plain-text
 * detail, or FastAPI's `detail` (a list of ValidationDetail for 422s).
 */
export class ApiError extends FawkesClientError {
  override name = 'ApiError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(`${method} ${url} failed with ${status}: ${describeDetail(detail)}`);
  }

  /** The 422 validation errors, when that is what the server answered. */
  get validationErrors(): ValidationDetail[] {
    return Array.isArray(this.detail) ? (this.detail as ValidationDetail[]) : [];
  }
}

/** 404: the session, span, trace or project does not exist. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}

/** A span logSpans could not store, and why. */
export interface RejectedSpan {
  span_id: string;
  trace_id: string;
  error?: string;
}

/** logSpans stored nothing: some spans were invalid or already stored. */
export class SpanCreationError extends ApiError {
  override name = 'SpanCreationError';
  readonly invalidSpans: RejectedSpan[];
  readonly duplicateSpans: RejectedSpan[];
  readonly totalReceived: number;

  constructor(cause: ApiError, totalReceived: number, invalid: RejectedSpan[], duplicates: RejectedSpan[]) {
    super(cause.method, cause.url, cause.status, cause.detail);
    this.invalidSpans = invalid;
    this.duplicateSpans = duplicates;
    this.totalReceived = totalReceived;
    const lines: string[] = [];
    const list = (spans: RejectedSpan[], show: (s: RejectedSpan) => string, what: string) => {
      for (const span of spans.slice(0, 5)) lines.push(`  - Span ${show(span)}`);
      if (spans.length > 5) lines.push(`  ... and ${spans.length - 5} more ${what}`);
    };
    if (invalid.length > 0) {
      lines.push(`Failed to queue ${invalid.length} invalid spans:`);
      list(invalid, (s) => `${s.span_id}: ${s.error ?? 'invalid'}`, 'invalid spans');
    }
    if (duplicates.length > 0) {
      lines.push(`Found ${duplicates.length} duplicate spans:`);
      list(duplicates, (s) => s.span_id, 'duplicates');
    }
    this.message = `${cause.message}\n${lines.join('\n')}`;
  }
}

/** The request never got an answer (server down, DNS, TLS, CORS...). `cause` is fetch's error. */
export class NetworkError extends FawkesClientError {
  override name = 'NetworkError';
  constructor(
    readonly method: string,
    readonly url: string,
    cause: unknown,
  ) {
    super(`${method} ${url} failed: could not reach the server (${reason(cause)})`, { cause });
  }
}

/** An argument is wrong; nothing was sent. */
export class InvalidArgumentError extends FawkesClientError {
  override name = 'InvalidArgumentError';
}

/** An optional peer dependency (nodejs-polars) is needed for this method and is not installed. */
export class MissingDependencyError extends FawkesClientError {
  override name = 'MissingDependencyError';
}

function reason(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as { cause?: unknown }).cause;
  const code = inner && typeof inner === 'object' && 'code' in inner ? ` ${String(inner.code)}` : '';
  return `${cause.message}${code}`;
}

function describeDetail(detail: unknown): string {
  if (typeof detail === 'string') return detail || '(no detail)';
  if (Array.isArray(detail)) {
    return detail
      .map((d: Partial<ValidationDetail>) => `${(d.loc ?? []).join('.')}: ${d.msg ?? JSON.stringify(d)}`)
      .join('; ');
  }
  return detail === undefined ? '(no detail)' : JSON.stringify(detail);
}

/** The detail of an error body: FastAPI's `{"detail": ...}`, else the body itself. */
export function detailOf(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'detail' in body) return body.detail;
  return body;
}
