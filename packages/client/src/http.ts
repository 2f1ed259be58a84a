import createOpenApiClient, { type Client, type Middleware } from 'openapi-fetch';
import type { ResolvedClientOptions } from './config.js';
import { ApiError, detailOf, NetworkError, NotFoundError } from './errors.js';
import type { paths } from './generated/openapi.js';

/** The typed REST client every resource uses: it throws ApiError / NotFoundError / NetworkError. */
export type Api = Client<paths>;

const throwOnErrorStatus: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Phoenix's HTTPException answers are plain text: the text is the detail.
    }
    const ErrorClass = response.status === 404 ? NotFoundError : ApiError;
    throw new ErrorClass(request.method, request.url, response.status, detailOf(body));
  },
  onError({ request, error }) {
    return new NetworkError(request.method, request.url, error);
  },
};

export function createApi(options: ResolvedClientOptions): Api {
  const api = createOpenApiClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.headers,
    fetch: options.fetch,
  });
  api.use(throwOnErrorStatus);
  return api;
}

/** The body of a successful answer (errors have been thrown by then). */
export function dataOf<T>(result: { data?: T }): T {
  return result.data as T;
}
