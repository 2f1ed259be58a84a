import { type ClientOptions, resolveClientOptions } from './config.js';
import { type Api, createApi } from './http.js';
import { Inferences } from './resources/inferences.js';
import { Projects } from './resources/projects.js';
import { Sessions } from './resources/sessions.js';
import { Spans } from './resources/spans.js';
import { Traces } from './resources/traces.js';

export interface FawkesClient {
  /** The server's base URL, as resolved from the options and the environment. */
  readonly baseUrl: string;
  /** Projects: list, get, create, update, delete. */
  readonly projects: Projects;
  /**
   * Sessions: get, list, delete, bulkDelete, getSessionTurns, getSessionsDataframe, session
   * annotations (+ DataFrames) and notes.
   */
  readonly sessions: Sessions;
  /**
   * Spans: getSpans, getSpansDataframe (query language), logSpans, delete, span and document
   * annotations (+ DataFrames) and notes.
   */
  readonly spans: Spans;
  /** Traces: getTraces, delete, transfer, trace annotations (+ DataFrames) and notes. */
  readonly traces: Traces;
  /**
   * The app's inference sets and the metrics that judge the model: get, summary, dataQuality,
   * drift, segments, timeSeries, embeddingDrift, embeddingTimeSeries, performance.
   */
  readonly inferences: Inferences;
  /**
   * The typed REST client underneath (openapi-fetch over the server's OpenAPI document), for routes
   * the resources do not cover. It throws ApiError / NetworkError like the resources.
   */
  readonly api: Api;
}

/**
 * A client for a Fawkes (or Phoenix) server. Defaults: PHOENIX_COLLECTOR_ENDPOINT (else
 * http://localhost:6006), PHOENIX_API_KEY (a bearer token), PHOENIX_CLIENT_HEADERS.
 */
export function createClient(options: ClientOptions = {}): FawkesClient {
  const resolved = resolveClientOptions(options);
  const api = createApi(resolved);
  return {
    baseUrl: resolved.baseUrl,
    api,
    projects: new Projects(api),
    sessions: new Sessions(api),
    spans: new Spans(api),
    traces: new Traces(api),
    inferences: new Inferences(api),
  };
}
