import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Request body bounds per route. The session, user and API-key routes take a few hundred bytes of
 * JSON (an email and a password, a key's name), so they get a small bound: a client cannot make the
 * server buffer megabytes before the login check or its rate limit. Everything else (OTLP exports,
 * annotations, span uploads, embeddings) keeps the large one. Past its bound a request is answered
 * 413 with the number (api/errors.ts) and nothing is read further or written.
 */
export interface BodyLimits {
  /** Bytes: /auth/*, /v1/user, /v1/user/api_keys, /v1/users, /v1/system/api_keys (FAWKES_MAX_AUTH_BODY_BYTES). */
  authBytes: number;
  /** Bytes: every other route, OTLP included (before and after decompression; FAWKES_MAX_BODY_BYTES). */
  defaultBytes: number;
}

const SMALL_BODY_ROUTES = [/^\/auth\//, /^\/v1\/users?(\/|$)/, /^\/v1\/system\/api_keys(\/|$)/];

/** The bound of a route's body, by its path. */
export function bodyLimitFor(path: string, limits: BodyLimits): number {
  return SMALL_BODY_ROUTES.some((pattern) => pattern.test(path)) ? limits.authBytes : limits.defaultBytes;
}

/** Sets every route's `bodyLimit` as it is added (call before registering routes). */
export function applyBodyLimits(app: FastifyInstance, limits: BodyLimits): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const path = route.url;
    if (SMALL_BODY_ROUTES.some((pattern) => pattern.test(path))) route.bodyLimit = limits.authBytes;
    else route.bodyLimit ??= limits.defaultBytes;
  });
}

/** The 413's detail: the bound, in bytes, of the route the body was sent to. */
export function bodyTooLargeDetail(bodyLimit: number | undefined): string {
  return bodyLimit === undefined
    ? 'The request body is too large'
    : `The request body is larger than this route's limit of ${bodyLimit} bytes`;
}
