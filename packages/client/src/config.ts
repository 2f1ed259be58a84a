/**
 * Client settings: explicit options first, then the environment variables Phoenix's clients read
 * (PHOENIX_COLLECTOR_ENDPOINT, PHOENIX_API_KEY, PHOENIX_CLIENT_HEADERS), then defaults. The
 * environment is read through `globalThis.process?.env`, so the same code runs in browsers.
 */

export const DEFAULT_BASE_URL = 'http://localhost:6006';

export interface ClientOptions {
  /** The server, e.g. `http://localhost:6006` (a path prefix is kept). Default: PHOENIX_COLLECTOR_ENDPOINT, else http://localhost:6006. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. Default: PHOENIX_API_KEY. */
  apiKey?: string;
  /** Extra headers for every request; they win over PHOENIX_CLIENT_HEADERS and the API key. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one), e.g. to add retries or run in a test. */
  fetch?: typeof globalThis.fetch;
}

export interface ResolvedClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch;
}

export type Environment = Record<string, string | undefined>;

function processEnvironment(): Environment {
  const env = (globalThis as { process?: { env?: Environment } }).process?.env;
  return env && typeof env === 'object' ? env : {};
}

/**
 * PHOENIX_CLIENT_HEADERS as OpenTelemetry writes headers in the environment: `k=v,k2=v2`, keys and
 * values percent-encoded, blanks around them ignored.
 */
export function parseHeaderList(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const item of text.split(',')) {
    const at = item.indexOf('=');
    if (at < 0) continue;
    const name = decodeURIComponent(item.slice(0, at)).trim().toLowerCase();
    if (name) headers[name] = decodeURIComponent(item.slice(at + 1)).trim();
  }
  return headers;
}

/** Options resolved against the environment (`env` defaults to `process.env` where there is one). */
export function resolveClientOptions(
  options: ClientOptions = {},
  env: Environment = processEnvironment(),
): ResolvedClientOptions {
  const baseUrl = (options.baseUrl ?? env.PHOENIX_COLLECTOR_ENDPOINT?.trim()) || DEFAULT_BASE_URL;
  const apiKey = options.apiKey ?? env.PHOENIX_API_KEY;
  const headers: Record<string, string> = {
    ...parseHeaderList(env.PHOENIX_CLIENT_HEADERS ?? ''),
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const fetch = options.fetch ?? globalThis.fetch;
  if (typeof fetch !== 'function') {
    throw new TypeError('No fetch() here: pass createClient({ fetch }) (Node 20+ and browsers have one).');
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ''), headers, fetch };
}
