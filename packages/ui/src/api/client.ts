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
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Is Fawkes running?');
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
