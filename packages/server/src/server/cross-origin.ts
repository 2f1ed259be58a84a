import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Requests from pages of other origins. CORS (PHOENIX_ALLOWED_ORIGINS, as Phoenix's CORSMiddleware):
 * only a listed origin (or `*`) gets `Access-Control-Allow-Origin` (with credentials), and only its
 * preflight is answered; others' preflights are 400 and their responses carry no CORS header.
 * CSRF: a write that no header credential vouches for (a cookie session, or nothing) must come from
 * this server's own origin or from a host of PHOENIX_CSRF_TRUSTED_ORIGINS (Phoenix compares host
 * names), else 403 before any route runs. `Authorization` and `api_key` are exempt: a page cannot set
 * them on a cross-site request without a preflight, which unlisted origins fail.
 */
export interface CrossOriginPolicy {
  /** Normalized origins (`scheme://host[:port]`, lower case) or `*`. */
  allowedOrigins: readonly string[];
  /** Lower-case host names trusted for cookie-authenticated writes. */
  trustedHostnames: readonly string[];
  /** Writes are checked: always with authentication on, else only when trusted origins are listed (Phoenix). */
  checkWrites: boolean;
}

const PREFLIGHT_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `https://App.example:443/x` → `https://app.example`; null when it is no http(s) URL. */
export function normalizedOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** A comma-separated list of origins as the environment gives it. */
export function originList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function crossOriginPolicy(options: {
  allowedOrigins: readonly string[];
  csrfTrustedOrigins: readonly string[];
  authOn: boolean;
}): CrossOriginPolicy {
  const allowedOrigins = options.allowedOrigins.flatMap((o) =>
    o === '*' ? ['*'] : (normalizedOrigin(o) ?? []),
  );
  const trustedHostnames = options.csrfTrustedOrigins.flatMap((o) => {
    const origin = normalizedOrigin(o);
    return origin ? [new URL(origin).hostname] : [];
  });
  return { allowedOrigins, trustedHostnames, checkWrites: options.authOn || trustedHostnames.length > 0 };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Where a write comes from, as the browser says: its Origin, else its Referer's origin. */
function writeSource(request: FastifyRequest): { name: 'Origin' | 'Referer'; value: string } | null {
  const origin = header(request, 'origin');
  if (origin !== undefined) return { name: 'Origin', value: origin };
  const referer = header(request, 'referer');
  return referer !== undefined ? { name: 'Referer', value: referer } : null;
}

function isTrustedSource(value: string, request: FastifyRequest, policy: CrossOriginPolicy): boolean {
  const origin = normalizedOrigin(value);
  if (origin === null) return false; // `Origin: null` (sandboxed frames, file:), or garbage
  const url = new URL(origin);
  const host = header(request, 'host')?.toLowerCase();
  return url.host === host || policy.trustedHostnames.includes(url.hostname);
}

/** Install before authentication: a preflight carries no credential. */
export function guardCrossOrigin(app: FastifyInstance, policy: CrossOriginPolicy): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = header(request, 'origin');
    if (origin !== undefined && policy.allowedOrigins.length > 0) {
      reply.header('vary', 'Origin');
      const normalized = normalizedOrigin(origin);
      const listed =
        policy.allowedOrigins.includes('*') ||
        (normalized !== null && policy.allowedOrigins.includes(normalized));
      const preflight = request.method === 'OPTIONS' && header(request, 'access-control-request-method');
      if (preflight) {
        if (!listed) return reply.code(400).type('text/plain').send('Disallowed CORS origin');
        const requestedHeaders = header(request, 'access-control-request-headers');
        return reply
          .code(200)
          .headers({
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': PREFLIGHT_METHODS,
            ...(requestedHeaders ? { 'access-control-allow-headers': requestedHeaders } : {}),
            'access-control-max-age': '600',
          })
          .type('text/plain')
          .send('OK');
      }
      if (listed) {
        reply.header('access-control-allow-origin', origin);
        reply.header('access-control-allow-credentials', 'true');
      }
    }
    if (!policy.checkWrites || SAFE_METHODS.has(request.method)) return;
    if (request.headers.authorization !== undefined || request.headers.api_key !== undefined) return;
    // No Origin and no Referer: not a browser's cross-site request (browsers send Origin on every one).
    const source = writeSource(request);
    if (source === null || isTrustedSource(source.value, request, policy)) return;
    return reply.code(403).send({
      detail: `Cross-site request refused: its ${source.name} (${source.value}) is neither this server's origin nor a host of PHOENIX_CSRF_TRUSTED_ORIGINS`,
    });
  });
}
