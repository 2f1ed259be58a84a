/**
 * The embedding page's point cloud over a model (issue #18 A): which rows are projected (Phoenix's
 * sampling), their layout and clusters (UMAP then HDBSCAN), what the selection panel shows of each
 * point, the clusters' figures and, for a corpus, the query → document links. Pure and synchronous:
 * the server runs layOutPointCloud in a worker thread, on the sample's own copy of the vectors.
 */
import { accuracyAt } from '../metrics/performance.js';
import type { DimensionValues, TimeRange } from '../metrics/types.js';
import { runToEnd } from '../model/analysis.js';
import type { ModelDimension } from '../model/dimensions.js';
import { InvalidParameterError } from '../model/errors.js';
import type { InferenceModel, SetRole } from '../model/model.js';
import { type ClusterSummary, summarizeClustersByRole } from '../projection/clusters.js';
import { clusterPoints } from '../projection/hdbscan.js';
import { projectEmbeddings } from '../projection/project.js';
import { sampleRows, WINDOW_MS, windowRows } from '../projection/sample.js';
import { type EventRow, eventId, parseEventId } from './event-ids.js';
import type { ClusterParameters, PointCloudParameters } from './parameters.js';

export interface PointCloudSample {
  embedding: string;
  /** The primary's window [end − 2 days, end). */
  window: TimeRange;
  /** The projected rows, in point order: the primary window's, the reference's, the corpus's. */
  events: EventRow[];
  dimension: number;
  /** The sampled vectors, point after point: all the layout needs (a worker gets this copy, not the sets). */
  vectors: Float32Array;
}

export interface PointCloudLayout {
  nComponents: 2 | 3;
  /** Point p's coordinates are [p·nComponents, (p+1)·nComponents), mean-centred. */
  coordinates: Float32Array;
  /** HDBSCAN's cluster of each point, −1 for noise. */
  labels: Int32Array;
}

export interface PointCloudPoint {
  eventId: string;
  role: SetRole;
  row: number;
  predictionId: string | null;
  predictionLabel: string | number | null;
  predictionScore: number | null;
  actualLabel: string | number | null;
  actualScore: number | null;
  rawData: string | null;
  linkToData: string | null;
  /** Features and tags, by name (absent from corpus points). */
  dimensions: Record<string, string | number | null>;
}

export interface PointCloudCluster {
  id: string;
  size: number;
  driftRatio: number | null;
  primaryToCorpusRatio: number | null;
  eventIds: string[];
  counts: ClusterSummary['counts'];
  /** Accuracy of the cluster's rows per set (null without labels or rows). */
  accuracy: { primary: number | null; reference: number | null };
  /** The mean of the chosen numeric dimension over the cluster's rows per set. */
  dimensionMean?: { dimension: string; primary: number | null; reference: number | null } | undefined;
}

export interface RetrievalLink {
  /** The query's event id (a primary point) and the retrieved document's (a corpus point). */
  query: string;
  document: string;
  score: number | null;
}

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Phoenix's sample for one embedding: the primary rows of the window, the reference's, and for a retrieval prompt every corpus vector. */
export function samplePointCloud(
  model: InferenceModel,
  name: string,
  parameters: Pick<PointCloudParameters, 'nSamples' | 'seed' | 'windowEnd'>,
): PointCloudSample {
  return runToEnd(samplePointCloudInSlices(model, name, parameters, Number.POSITIVE_INFINITY));
}

/** The same, pausing (yielding) after every `slicePoints` vectors copied (250 × 768 floats: a few ms, tens on a loaded machine). */
export function* samplePointCloudInSlices(
  model: InferenceModel,
  name: string,
  parameters: Pick<PointCloudParameters, 'nSamples' | 'seed' | 'windowEnd'>,
  slicePoints = 250,
): Generator<void, PointCloudSample> {
  const embedding = model.embedding(name);
  const end = parameters.windowEnd ?? model.timeRange('primary').end;
  const primary = model.vectors(name, 'primary');
  const reference = model.reference ? model.vectors(name, 'reference') : undefined;
  const corpus = isRetrievalPrompt(model, name) ? model.corpusVectors(name) : undefined;
  const blocks = { primary, reference, corpus };
  const none = new Uint8Array(0);
  const sampled = sampleRows({
    primary: { present: primary?.present ?? none, span: windowRows(model.primary.timestamps, end) },
    reference: reference && { present: reference.present },
    corpus: corpus && { present: corpus.present },
    nSamples: parameters.nSamples,
    seed: parameters.seed,
  });
  const dimension = embedding.dimension;
  const events: EventRow[] = [];
  for (const role of ['primary', 'reference', 'corpus'] as const) {
    for (const row of sampled[role] ?? []) events.push({ role, row });
  }
  const vectors = new Float32Array(events.length * dimension);
  for (let point = 0; point < events.length; point++) {
    if (point > 0 && point % slicePoints === 0) yield;
    const { role, row } = events[point]!;
    vectors.set(blocks[role]!.data.subarray(row * dimension, (row + 1) * dimension), point * dimension);
  }
  return { embedding: name, window: { start: end - WINDOW_MS, end }, events, dimension, vectors };
}

/** The layout and clusters of a sample's vectors (the worker's part). */
export function layOutPointCloud(
  sample: Pick<PointCloudSample, 'dimension' | 'vectors'>,
  parameters: PointCloudParameters,
  onEpoch?: (done: number, total: number) => void,
): PointCloudLayout {
  const { dimension, vectors } = sample;
  const n = dimension === 0 ? 0 : vectors.length / dimension;
  const projection = projectEmbeddings({
    vectors: [{ dimension, data: vectors, present: new Uint8Array(n).fill(1) }],
    rows: [Int32Array.from({ length: n }, (_, i) => i)],
    nComponents: parameters.nComponents,
    nNeighbors: parameters.nNeighbors,
    minDist: parameters.minDist,
    seed: parameters.seed,
    ...(onEpoch ? { onEpoch } : {}),
  });
  const labels = clusterPoints(projection.coordinates, parameters.nComponents, parameters);
  return { nComponents: parameters.nComponents, coordinates: projection.coordinates, labels };
}

/** HDBSCAN again over coordinates already laid out (no second UMAP run). */
export function reclusterPointCloud(
  coordinates: Float32Array,
  nComponents: number,
  parameters: ClusterParameters,
): Int32Array {
  return clusterPoints(coordinates, nComponents, parameters);
}

/** The rows that event ids name; InvalidParameterError (naming `parameter`) at the first malformed or unknown one. */
export function eventRows(
  model: InferenceModel,
  ids: readonly string[],
  parameter = 'event_ids',
): EventRow[] {
  return ids.map((id, index) => {
    const event = parseEventId(id);
    if (!event) {
      throw new InvalidParameterError(
        `${parameter}[${index}] is "${id}", not an event id of the form "<row>:<primary|reference|corpus>"`,
        parameter,
      );
    }
    const set = model[event.role];
    if (!set || event.row >= set.rowCount) {
      throw new InvalidParameterError(
        `${parameter}[${index}] is "${id}": the model has ${set ? `${set.rowCount} ${event.role} rows` : `no ${event.role} set`}`,
        parameter,
      );
    }
    return event;
  });
}

/** What the point tooltips and the selection panel show of each point. */
export function describePoints(
  model: InferenceModel,
  name: string,
  events: readonly EventRow[],
): PointCloudPoint[] {
  const embedding = model.embedding(name);
  const corpusColumn =
    model.corpus?.embeddings.find((e) => e.vectorColumnName === embedding.vectorColumnName) ??
    model.corpus?.embedding('prompt');
  const single = (role: ModelDimension['role']) => model.dimensions.find((d) => d.role === role);
  const [predictionLabel, predictionScore, actualLabel, actualScore] = (
    ['prediction_label', 'prediction_score', 'actual_label', 'actual_score'] as const
  ).map(single);
  const described = model.dimensions.filter((d) => d.role === 'feature' || d.role === 'tag');
  // Each set's columns looked up once, not point by point.
  const columnsOf = (role: SetRole) => {
    const set = model.set(role);
    const own = role === 'corpus' ? corpusColumn : set.embedding(name);
    const texts = (column: string | undefined) => (column === undefined ? undefined : set.text(column));
    const values = (dimension: ModelDimension | undefined) =>
      dimension && role !== 'corpus' ? model.values(dimension.name, role) : undefined;
    return {
      set,
      rawData: texts(own?.rawDataColumnName),
      linkToData: texts(own?.linkToDataColumnName),
      predictionLabel: values(predictionLabel),
      predictionScore: values(predictionScore),
      actualLabel: values(actualLabel),
      actualScore: values(actualScore),
      dimensions: role === 'corpus' ? [] : described.map((d) => [d.name, values(d)] as const),
    };
  };
  const columns = new Map<SetRole, ReturnType<typeof columnsOf>>();
  const score = (values: DimensionValues | undefined, row: number) => {
    const value = cell(values, row);
    return typeof value === 'number' ? value : null;
  };
  return events.map(({ role, row }) => {
    let c = columns.get(role);
    if (!c) {
      c = columnsOf(role);
      columns.set(role, c);
    }
    const dimensions: Record<string, string | number | null> = {};
    for (const [dimension, values] of c.dimensions) dimensions[dimension] = cell(values, row);
    return {
      eventId: eventId(row, role),
      role,
      row,
      predictionId: c.set.predictionIds[row] ?? null,
      predictionLabel: cell(c.predictionLabel, row),
      predictionScore: score(c.predictionScore, row),
      actualLabel: cell(c.actualLabel, row),
      actualScore: score(c.actualScore, row),
      rawData: c.rawData?.[row] ?? null,
      linkToData: c.linkToData?.[row] ?? null,
      dimensions,
    };
  });
}

/** The clusters of labelled points: sizes, drift ratios, event ids, accuracy and a dimension's mean per set. */
export function pointCloudClusters(
  model: InferenceModel,
  events: readonly EventRow[],
  labels: Int32Array,
  options: { metricDimension?: string | undefined } = {},
): PointCloudCluster[] {
  const summaries = summarizeClustersByRole(
    labels,
    events.map((e) => e.role),
  );
  const metric = options.metricDimension === undefined ? undefined : model.dimension(options.metricDimension);
  if (metric && metric.dataType !== 'numeric') {
    throw new InvalidParameterError(
      `${metric.name} is not a numeric dimension: its mean is not defined`,
      'metric_dimension',
    );
  }
  const single = (role: ModelDimension['role']) => model.dimensions.find((d) => d.role === role)?.name;
  const actualName = single('actual_label');
  const predictedName = single('prediction_label');
  // Each set's columns, looked up once for all the clusters.
  const columnsOf = (role: 'primary' | 'reference') => ({
    role,
    actual: actualName === undefined ? undefined : model.values(actualName, role),
    predicted: predictedName === undefined ? undefined : model.values(predictedName, role),
    metric: metric && model.values(metric.name, role),
  });
  const sets = [columnsOf('primary'), columnsOf('reference')] as const;
  return summaries.map((summary) => {
    const [primary, reference] = sets.map(({ role, actual, predicted, metric: values }) => {
      const rows = Int32Array.from(
        [...summary.points].filter((p) => events[p]!.role === role),
        (p) => events[p]!.row,
      );
      return {
        accuracy: actual && predicted ? finite(accuracyAt(actual, predicted, rows)) : null,
        mean: values ? meanAt(values, rows) : null,
      };
    }) as [
      { accuracy: number | null; mean: number | null },
      { accuracy: number | null; mean: number | null },
    ];
    return {
      id: summary.id,
      size: summary.size,
      driftRatio: summary.driftRatio,
      primaryToCorpusRatio: summary.primaryToCorpusRatio,
      eventIds: Array.from(summary.points, (p) => eventId(events[p]!.row, events[p]!.role)),
      counts: summary.counts,
      accuracy: { primary: primary.accuracy, reference: reference.accuracy },
      dimensionMean: metric && { dimension: metric.name, primary: primary.mean, reference: reference.mean },
    };
  });
}

/** For a retrieval prompt: each sampled query's links to the sampled corpus documents it retrieved. */
export function retrievalLinks(model: InferenceModel, events: readonly EventRow[]): RetrievalLink[] {
  const retrievals = model.primary.retrievals;
  const corpus = model.corpus;
  if (!retrievals || !corpus) return [];
  const documents = new Map<string, number>();
  for (const { role, row } of events) {
    const id = role === 'corpus' ? corpus.predictionIds[row] : null;
    if (id !== null && id !== undefined) documents.set(id, row);
  }
  const links: RetrievalLink[] = [];
  for (const { role, row } of events) {
    if (role !== 'primary') continue;
    const ids = retrievals.documentIds[row];
    const scores = retrievals.scores[row];
    ids?.forEach((id, k) => {
      const document = documents.get(id);
      if (document === undefined) return;
      links.push({
        query: eventId(row, 'primary'),
        document: eventId(document, 'corpus'),
        score: scores ? finite(scores[k] ?? Number.NaN) : null,
      });
    });
  }
  return links;
}

function isRetrievalPrompt(model: InferenceModel, name: string): boolean {
  return (
    model.embedding(name).role === 'prompt' &&
    model.corpus !== undefined &&
    model.primary.retrievals !== undefined
  );
}

function cell(values: DimensionValues | undefined, row: number): string | number | null {
  if (!values) return null;
  if (values.kind === 'categorical') return values.values[row] ?? null;
  return finite(values.values[row]!);
}

function meanAt(values: DimensionValues, rows: Int32Array): number | null {
  if (values.kind !== 'numeric') return null;
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const v = values.values[row]!;
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? null : sum / count;
}
