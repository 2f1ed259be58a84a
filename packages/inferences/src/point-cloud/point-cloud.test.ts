import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Inferences } from '../inferences/inferences.js';
import { InvalidParameterError } from '../model/errors.js';
import { InferenceModel } from '../model/model.js';
import { WINDOW_MS } from '../projection/sample.js';
import { Schema } from '../schema/schema.js';
import { parseEventId } from './event-ids.js';
import { pointCloudParameters } from './parameters.js';
import {
  describePoints,
  eventRows,
  layOutPointCloud,
  pointCloudClusters,
  reclusterPointCloud,
  retrievalLinks,
  samplePointCloud,
} from './point-cloud.js';

const fixtures = new URL('../../../../../shared/fixtures/inferences/', import.meta.url).pathname;

async function load(name: string): Promise<InferenceModel> {
  const schemas = JSON.parse(readFileSync(join(fixtures, name, 'schema.json'), 'utf8')) as Record<
    string,
    object
  >;
  const sets: Record<string, Inferences> = {};
  for (const [role, schema] of Object.entries(schemas)) {
    sets[role] = await Inferences.fromParquet(
      join(fixtures, name, `${role}.parquet`),
      Schema.fromJSON(schema),
    );
  }
  return new InferenceModel(sets as { primary: Inferences });
}

let nlp: InferenceModel;
let rag: InferenceModel;
beforeAll(async () => {
  nlp = await load('nlp');
  rag = await load('rag');
});

describe('the point cloud over the nlp fixture', () => {
  it("samples Phoenix's rows: the primary's 2-day window ending at its end, the reference, n_samples each", () => {
    const parameters = pointCloudParameters({ nSamples: 200 });
    const sample = samplePointCloud(nlp, 'text_embedding', parameters);
    const end = nlp.timeRange('primary').end;
    expect(sample.window).toEqual({ start: end - WINDOW_MS, end });
    const primary = sample.events.filter((e) => e.role === 'primary');
    const reference = sample.events.filter((e) => e.role === 'reference');
    expect(primary.length).toBeLessThanOrEqual(200);
    expect(reference).toHaveLength(200);
    expect(sample.events.slice(0, primary.length).every((e) => e.role === 'primary')).toBe(true);
    for (const { row } of primary) {
      const t = nlp.primary.timestamps[row]!;
      expect(t >= sample.window.start && t < sample.window.end).toBe(true);
    }
    // Each point's vector is its row's.
    const { dimension } = sample;
    sample.events.forEach(({ role, row }, point) => {
      const own = nlp.vectors('text_embedding', role)!.data.subarray(row * dimension, (row + 1) * dimension);
      expect(sample.vectors.subarray(point * dimension, (point + 1) * dimension)).toEqual(own);
    });
    expect(samplePointCloud(nlp, 'text_embedding', parameters)).toEqual(sample);
    expect(samplePointCloud(nlp, 'text_embedding', { ...parameters, seed: 1 }).events).not.toEqual(
      sample.events,
    );
  });

  it('lays the points out, finds a purely primary and a purely reference cluster, re-clusters the same coordinates', () => {
    const parameters = pointCloudParameters({ nSamples: 300 });
    const sample = samplePointCloud(nlp, 'text_embedding', parameters);
    const epochs: number[] = [];
    const layout = layOutPointCloud(sample, parameters, (done) => epochs.push(done));
    expect(layout.coordinates).toHaveLength(sample.events.length * 3);
    expect(epochs.length).toBeGreaterThan(0);
    const clusters = pointCloudClusters(nlp, sample.events, layout.labels, { metricDimension: 'length' });
    expect(clusters.length).toBeGreaterThanOrEqual(2);
    expect(clusters.some((c) => c.driftRatio === 1)).toBe(true);
    expect(clusters.some((c) => c.driftRatio === -1)).toBe(true);
    for (const c of clusters) {
      expect(c.eventIds).toHaveLength(c.size);
      expect(c.driftRatio).toBeCloseTo((c.counts.primary - c.counts.reference) / c.size, 12);
      expect(c.accuracy.primary === null || (c.accuracy.primary >= 0 && c.accuracy.primary <= 1)).toBe(true);
      expect(c.dimensionMean?.dimension).toBe('length');
    }
    const again = reclusterPointCloud(layout.coordinates, 3, {
      minClusterSize: 10,
      minSamples: 1,
      clusterSelectionEpsilon: 0,
    });
    expect(again).toEqual(layout.labels);
    const coarser = reclusterPointCloud(layout.coordinates, 3, {
      minClusterSize: 150,
      minSamples: 5,
      clusterSelectionEpsilon: 0,
    });
    expect(new Set(coarser).size).toBeLessThanOrEqual(new Set(layout.labels).size);
  });

  it('describes each point: prediction id, labels, raw text, features', () => {
    const events = eventRows(nlp, ['0:primary', '3:reference']);
    const [first, second] = describePoints(nlp, 'text_embedding', events);
    expect(first!.eventId).toBe('0:primary');
    expect(first!.predictionId).toBe(nlp.primary.predictionIds[0]);
    expect(first!.rawData).toBe(nlp.primary.text('text')![0]);
    expect(second!.rawData).toBe(nlp.reference!.text('text')![3]);
    expect(typeof first!.dimensions.length).toBe('number');
    expect(first!.predictionLabel).not.toBeNull();
  });

  it('refuses malformed and unknown event ids, naming the first', () => {
    expect(() => eventRows(nlp, ['0:primary', 'x'])).toThrow(/event_ids\[1\] is "x"/);
    expect(() => eventRows(nlp, ['999999:primary'])).toThrow(InvalidParameterError);
    expect(() => eventRows(nlp, ['0:corpus'])).toThrow(/no corpus set/);
    expect(parseEventId('01:primary')).toBeUndefined();
    expect(parseEventId('12:reference')).toEqual({ row: 12, role: 'reference' });
  });

  it('checks the parameters, naming each', () => {
    const bad: [object, string][] = [
      [{ nNeighbors: 2 }, 'n_neighbors'],
      [{ minDist: 1 }, 'min_dist'],
      [{ nSamples: 0 }, 'n_samples'],
      [{ nComponents: 4 }, 'n_components'],
      [{ minClusterSize: 1 }, 'min_cluster_size'],
      [{ minSamples: 0.5 }, 'min_samples'],
      [{ clusterSelectionEpsilon: -1 }, 'cluster_selection_epsilon'],
      [{ seed: -1 }, 'seed'],
    ];
    for (const [given, parameter] of bad) {
      expect(() => pointCloudParameters(given)).toThrow(expect.objectContaining({ parameter }));
    }
    expect(pointCloudParameters({}, { nSamples: 100 }).nSamples).toBe(100);
  });
});

describe('the point cloud of a retrieval prompt (rag fixture)', () => {
  it('adds every corpus vector and links the queries to the documents they retrieved', () => {
    const sample = samplePointCloud(rag, 'prompt', pointCloudParameters());
    const corpus = sample.events.filter((e) => e.role === 'corpus');
    const withVector = rag.corpusVectors('prompt')!.present.reduce((n, p) => n + p, 0);
    expect(corpus).toHaveLength(withVector);
    const links = retrievalLinks(rag, sample.events);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const query = parseEventId(link.query)!;
      const document = parseEventId(link.document)!;
      expect(rag.primary.retrievals!.documentIds[query.row]).toContain(
        rag.corpus!.predictionIds[document.row],
      );
    }
    const points = describePoints(rag, 'prompt', corpus.slice(0, 1));
    expect(points[0]!.rawData).toBe(rag.corpus!.text('text')![corpus[0]!.row]);
  });
});
