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
