/**
 * Loads a TraceDataset into a running server the way any client would: its spans as OTLP/JSON to
 * `/v1/traces` (answered once committed by the writer thread, duplicates ignored), its evaluations
 * as span annotations to `/v1/span_annotations?sync=true`. So the single-writer rule holds, and the
 * spans are queryable as soon as this resolves.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeExportResponse } from '../ingest/index.js';
import type { RawSpan } from '../ingest/normalize.js';
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

async function post(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, { method: 'POST', body, headers });
    if (response.status !== 503 || attempt >= MAX_BUSY_RETRIES) return response;
    // The write queue is full (other exporters are busy): wait as the server asks, as exporters do.
    await response.arrayBuffer();
    const seconds = Number(response.headers.get('retry-after'));
    await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 5) * 1000 : 200);
  }
}

async function failure(what: string, response: Response): Promise<DatasetLoadError> {
  const detail = (await response.text()).slice(0, 500);
  return new DatasetLoadError(`${what} failed: ${response.status} ${detail}`);
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

async function exportSpans(base: string, body: Uint8Array, dataset: PreparedDataset): Promise<void> {
  const response = await post(new URL('v1/traces', base).href, body, {
    'content-type': 'application/json',
    'x-project-name': dataset.projectName,
  });
  if (!response.ok) throw await failure(`Loading the spans of trace dataset ${dataset.name}`, response);
  const answer = decodeExportResponse(new Uint8Array(await response.arrayBuffer()), 'json');
  const rejected = answer.partialSuccess?.rejectedSpans ?? 0;
  if (rejected > 0) {
    throw new DatasetLoadError(
      `Trace dataset ${dataset.name}: ${rejected} span(s) were rejected: ${answer.partialSuccess?.errorMessage ?? ''}`,
    );
  }
}

export async function loadPreparedDataset(baseUrl: string, dataset: PreparedDataset): Promise<void> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  for (const body of requestBodies(dataset.spans)) await exportSpans(base, body, dataset);
  for (let i = 0; i < dataset.evaluations.length; i += ANNOTATIONS_PER_REQUEST) {
    const data = dataset.evaluations.slice(i, i + ANNOTATIONS_PER_REQUEST).map((e) => ({
      span_id: e.spanId,
      name: e.name,
      annotator_kind: 'LLM',
      result: { label: e.label, score: e.score, explanation: e.explanation },
      metadata: {},
      identifier: '',
    }));
    const response = await post(
      new URL('v1/span_annotations?sync=true', base).href,
      JSON.stringify({ data }),
      {
        'content-type': 'application/json',
      },
    );
    if (!response.ok)
      throw await failure(`Loading the evaluations of trace dataset ${dataset.name}`, response);
    await response.arrayBuffer();
  }
}
