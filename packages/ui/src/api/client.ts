import { refreshAcrossTabs } from './auth-refresh.js';

/** An answer other than 2xx: its status and the server's detail, ready to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let refreshing: Promise<boolean> | null = null;

/**
 * A new session from the refresh-token cookie (POST /auth/refresh); false when there is none.
 * Shared by this tab's concurrent requests, and one at a time across tabs (auth-refresh.ts).
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= refreshAcrossTabs(() =>
    fetch('/auth/refresh', { method: 'POST', credentials: 'same-origin' }).then((response) => {
      if (response.ok) scheduleRefresh(response);
      return response.ok;
    }),
  )
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

// For the browser tests: two tabs refreshing at once (packages/server/e2e/auth-live.test.ts).
(window as { __fawkesRefreshSession?: () => Promise<boolean> }).__fawkesRefreshSession = refreshSession;

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Refreshes a minute before the access token of a new session runs out (the server tells when). */
export function scheduleRefresh(response: Response): void {
  const seconds = Number(response.headers.get('x-access-token-expires-in'));
  if (!Number.isFinite(seconds) || seconds <= 0) return;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshSession(), Math.max(seconds - 60, seconds / 2) * 1000);
}

/** The login page, which comes back here after logging in. */
export function goToLogin(): void {
  if (window.location.pathname === '/login') return;
  const back = window.location.pathname + window.location.search;
  window.location.assign(`/login?return_to=${encodeURIComponent(back)}`);
}

export type Params = Record<string, string | number | boolean | null | undefined>;

export function withParams(path: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

async function detailOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    if (typeof body.detail === 'string') return body.detail;
    if (Array.isArray(body.detail)) {
      return body.detail
        .map((d: { msg?: string; loc?: unknown[] }) => `${d.loc?.join('.') ?? ''}: ${d.msg}`)
        .join('; ');
    }
  } catch {
    // plain text, as Phoenix answers errors
  }
  return text || response.statusText;
}

export async function request<T>(
  method: string,
  path: string,
  options: { params?: Params; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(withParams(path, options.params), {
      method,
      headers:
        options.body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
      credentials: 'same-origin',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Is Fawkes running?');
  }
  if (response.status === 401 && !path.startsWith('/auth/')) {
    // The access token ran out: one refresh (shared by concurrent requests), then the request again.
    if (await refreshSession()) return request<T>(method, path, options);
    goToLogin();
  }
  if (!response.ok) throw new ApiError(response.status, await detailOf(response));
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, params?: Params, signal?: AbortSignal) =>
  request<T>('GET', path, { ...(params ? { params } : {}), ...(signal ? { signal } : {}) });
export const post = <T>(path: string, body: unknown, params?: Params) =>
  request<T>('POST', path, { body, ...(params ? { params } : {}) });
export const del = <T>(path: string, params?: Params) => request<T>('DELETE', path, params ? { params } : {});

export const enc = encodeURIComponent;
