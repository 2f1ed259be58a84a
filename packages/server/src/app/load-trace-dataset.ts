/**
 * Loads a TraceDataset into a running server through the paths every client's data takes: its spans
 * as OTLP/JSON requests to the writer (answered once committed, duplicates ignored), its
 * evaluations as synchronous span annotations. So the single-writer rule holds, and the spans are
 * queryable as soon as this resolves. A server in this process is written directly; one in a
 * child process over HTTP.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeExportResponse } from '../ingest/index.js';
import type { RawSpan } from '../ingest/normalize.js';
import type { FawkesServer, LocalWrites } from '../server/create-server.js';
import { datasetSpans } from './dataframe-spans.js';
import { otlpJsonRequest, otlpJsonSpan, requestOverhead } from './otlp-json.js';
import type { SpanEvaluation } from './span-evaluations.js';
import type { TraceDataset } from './trace-dataset.js';

/** Spans per export request: well under the body limit, big enough for group commit to pay. */
const SPANS_PER_REQUEST = 2000;
/** Annotations per request, as Phoenix's client sends them. */
const ANNOTATIONS_PER_REQUEST = 100;
/** Bytes per export request, at most (the server takes up to 64 MiB). */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const MAX_BUSY_RETRIES = 50;

export class DatasetLoadError extends Error {}

/** What launchApp checks before it starts anything, so that a bad dataset opens no port. */
export interface PreparedDataset {
  name: string;
  projectName: string;
  spans: RawSpan[];
  evaluations: SpanEvaluation[];
}

/** Validates every span of `dataset` (throws naming the first bad row) and its evaluations. */
export function prepareDataset(dataset: TraceDataset, projectName: string): PreparedDataset {
  const reserved = dataset.evaluations.find((e) => e.evalName === 'note');
  if (reserved) {
    throw new DatasetLoadError(
      `Trace dataset ${dataset.name}: evaluations cannot be named 'note' (the name of span notes); rename them`,
    );
  }
  const { raw } = datasetSpans(dataset.dataframe, projectName);
  const known = new Set(raw.map((s) => s.spanId.toLowerCase()));
  const evaluations = dataset.evaluationResults();
  const matched = evaluations.filter((e) => known.has(e.spanId));
  if (matched.length < evaluations.length) {
    process.emitWarning(
      `Trace dataset ${dataset.name}: ${evaluations.length - matched.length} evaluation result(s) name spans ` +
        'that are not in the dataset; they are left out',
      { code: 'FAWKES_EVALUATIONS_WITHOUT_SPANS' },
    );
  }
  return { name: dataset.name, projectName, spans: raw, evaluations: matched };
}

/**
 * OTLP request bodies for `spans`, in order: each holds at most `maxSpans` spans and `maxBytes`
 * bytes (unless one span alone is larger).
 */
export function* requestBodies(
  spans: readonly RawSpan[],
  { maxSpans = SPANS_PER_REQUEST, maxBytes = MAX_REQUEST_BYTES } = {},
): Generator<Uint8Array> {
  let batch: string[] = [];
  let bytes = requestOverhead;
  for (const span of spans) {
    const encoded = otlpJsonSpan(span);
    const size = Buffer.byteLength(encoded) + 1;
    if (batch.length > 0 && (batch.length >= maxSpans || bytes + size > maxBytes)) {
      yield otlpJsonRequest(batch);
      batch = [];
      bytes = requestOverhead;
    }
    batch.push(encoded);
    bytes += size;
  }
  if (batch.length > 0) yield otlpJsonRequest(batch);
}

/** Where a dataset goes: the writer of a server in this process, or a server elsewhere over HTTP. */
interface DatasetSink {
  /** Stores one OTLP/JSON request's spans; resolves with how many were rejected. */
  spans(body: Uint8Array): Promise<{ rejected: number; message: string }>;
  annotations(rows: SpanEvaluation[]): Promise<void>;
}

async function untilNotBusy<T>(
  attempt: () => Promise<{ busy: boolean; retryAfterSeconds?: number; value: T }>,
) {
  for (let tries = 0; ; tries++) {
    const { busy, retryAfterSeconds, value } = await attempt();
    if (!busy || tries >= MAX_BUSY_RETRIES) return value;
    // The write queue is full (other exporters are busy): wait as the server asks, as exporters do.
    const seconds = retryAfterSeconds ?? 0;
    await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 5) * 1000 : 200);
  }
}

/** In this process: the writer and commands themselves, as the collectors and routes use them. */
function localSink(local: LocalWrites, dataset: PreparedDataset, defaultProject: string): DatasetSink {
  return {
    async spans(body) {
      const outcome = await untilNotBusy(async () => {
        const value = await local.submitSpans(body, 'json', {
          projectOverride: dataset.projectName,
          defaultProject,
        });
        return { busy: value.status === 'busy', value };
      });
      if (outcome.status !== 'stored') {
        throw new DatasetLoadError(
          `Loading the spans of trace dataset ${dataset.name} failed: ${outcome.message}`,
        );
      }
      return { rejected: outcome.rejected?.count ?? 0, message: outcome.rejected?.message ?? '' };
    },
    async annotations(rows) {
      const result = await local.upsertAnnotations({
        kind: 'span',
        sync: true,
        annotations: rows.map((e) => ({
          target: e.spanId,
          name: e.name,
          annotatorKind: 'LLM',
          label: e.label,
          score: e.score,
          explanation: e.explanation,
          metadata: {},
          identifier: '',
        })),
      });
      if (result.status !== 'stored') {
        throw new DatasetLoadError(
          `Loading the evaluations of trace dataset ${dataset.name} failed: ${JSON.stringify(result)}`,
        );
      }
    },
  };
}

/** A server in another process (runInThread: false): OTLP/JSON and the annotations route, as any client. */
function httpSink(baseUrl: string, dataset: PreparedDataset, headers: Record<string, string>): DatasetSink {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const post = (path: string, body: Uint8Array | string, more: Record<string, string>) =>
    untilNotBusy(async () => {
      const response = await fetch(new URL(path, base).href, {
        method: 'POST',
        body,
        headers: { ...headers, ...more },
      });
      const busy = response.status === 503;
      if (busy) await response.arrayBuffer();
      return { busy, retryAfterSeconds: Number(response.headers.get('retry-after')), value: response };
    });
  const failure = async (what: string, response: Response) =>
    new DatasetLoadError(`${what} failed: ${response.status} ${(await response.text()).slice(0, 500)}`);
  return {
    async spans(body) {
      const response = await post('v1/traces', body, {
        'content-type': 'application/json',
        'x-project-name': dataset.projectName,
      });
      if (!response.ok) throw await failure(`Loading the spans of trace dataset ${dataset.name}`, response);
      const answer = decodeExportResponse(new Uint8Array(await response.arrayBuffer()), 'json');
      return {
        rejected: answer.partialSuccess?.rejectedSpans ?? 0,
        message: answer.partialSuccess?.errorMessage ?? '',
      };
    },
    async annotations(rows) {
      const data = rows.map((e) => ({
        span_id: e.spanId,
        name: e.name,
        annotator_kind: 'LLM',
        result: { label: e.label, score: e.score, explanation: e.explanation },
        metadata: {},
        identifier: '',
      }));
      const response = await post('v1/span_annotations?sync=true', JSON.stringify({ data }), {
        'content-type': 'application/json',
      });
      if (!response.ok)
        throw await failure(`Loading the evaluations of trace dataset ${dataset.name}`, response);
      await response.arrayBuffer();
    },
  };
}

/**
 * Stores `dataset` in `server`: straight into its writer when it runs in this process, else over
 * HTTP (with the admin secret when authentication is on). Resolves once everything is queryable.
 */
export async function loadPreparedDataset(server: FawkesServer, dataset: PreparedDataset): Promise<void> {
  const adminSecret = server.config.auth?.adminSecret;
  const sink = server.local
    ? localSink(server.local, dataset, server.config.defaultProject)
    : httpSink(server.url, dataset, adminSecret ? { authorization: `Bearer ${adminSecret}` } : {});
  for (const body of requestBodies(dataset.spans)) {
    const { rejected, message } = await sink.spans(body);
    if (rejected > 0) {
      throw new DatasetLoadError(
        `Trace dataset ${dataset.name}: ${rejected} span(s) were rejected: ${message}`,
      );
    }
  }
  for (let i = 0; i < dataset.evaluations.length; i += ANNOTATIONS_PER_REQUEST) {
    await sink.annotations(dataset.evaluations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
}
