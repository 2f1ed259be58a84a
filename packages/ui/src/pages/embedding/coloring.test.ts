import { describe, expect, it } from 'vitest';
import type { CloudPoint } from '../../api/point-cloud.js';
import { sortClusters } from './cluster-sort.js';
import { pointColors } from './coloring.js';
import { parseSetting, UMAP_FIELDS } from './settings.js';

const point = (over: Partial<CloudPoint>): CloudPoint => ({
  event_id: '0:primary',
  set: 'primary',
  coordinates: [0, 0, 0],
  cluster_id: null,
  prediction_id: null,
  prediction_label: null,
  prediction_score: null,
  actual_label: null,
  actual_score: null,
  raw_data: null,
  link_to_data: null,
  dimensions: {},
  ...over,
});

describe('pointColors', () => {
  it('colours by set with Phoenix colours', () => {
    const { colors, legend } = pointColors([point({}), point({ set: 'reference' })], { kind: 'set' });
    expect(legend.map((l) => l.label)).toEqual(['primary', 'reference']);
    expect(Array.from(colors.slice(0, 3)).map((c) => Math.round(c * 255))).toEqual([0x00, 0xad, 0xd0]);
  });

  it('colours by correctness, points without labels grey', () => {
    const points = [
      point({ prediction_label: 'a', actual_label: 'a' }),
      point({ prediction_label: 'a', actual_label: 'b' }),
      point({}),
    ];
    const { colors, legend } = pointColors(points, { kind: 'correctness' });
    expect(legend.map((l) => l.label)).toEqual(['correct', 'incorrect', 'unknown']);
    expect(Math.round(colors[6]! * 255)).toBe(0xa5);
  });

  it('colours a categorical dimension with up to 10 colours and a number in 10 bins', () => {
    const categorical = pointColors(
      ['x', 'y', 'z'].map((v) => point({ dimensions: { d: v } })),
      { kind: 'dimension', name: 'd' },
    );
    expect(categorical.legend.map((l) => l.label)).toEqual(['x', 'y', 'z']);
    const numeric = pointColors(
      Array.from({ length: 20 }, (_, i) => point({ dimensions: { n: i } })),
      { kind: 'dimension', name: 'n' },
    );
    expect(numeric.legend).toHaveLength(10);
  });
});

describe('sortClusters', () => {
  const cluster = (id: string, size: number, drift: number | null, accuracy: number | null) => ({
    id,
    size,
    drift_ratio: drift,
    primary_to_corpus_ratio: null,
    event_ids: [],
    accuracy: { primary: accuracy, reference: null },
  });
  const clusters = [cluster('0', 5, 0.1, null), cluster('1', 9, null, 0.5), cluster('2', 7, 0.9, 0.2)];
  it('ranks by drift, size or the metric, nulls last', () => {
    expect(sortClusters(clusters, 'drift').map((c) => c.id)).toEqual(['2', '0', '1']);
    expect(sortClusters(clusters, 'size-asc').map((c) => c.id)).toEqual(['0', '2', '1']);
    expect(sortClusters(clusters, 'metric-asc', { kind: 'accuracy' }).map((c) => c.id)).toEqual([
      '2',
      '1',
      '0',
    ]);
    expect(sortClusters(clusters, 'metric-desc', { kind: 'accuracy' }).map((c) => c.id)).toEqual([
      '1',
      '2',
      '0',
    ]);
  });
});

describe('parseSetting', () => {
  it('refuses values outside the server range', () => {
    const neighbours = UMAP_FIELDS[0]!;
    expect(parseSetting(neighbours, '30')).toEqual({ value: 30 });
    expect(parseSetting(neighbours, '4')).toEqual({
      error: 'n_neighbors must be a whole number from 5 to 100',
    });
    expect(parseSetting(neighbours, '7.5')).toHaveProperty('error');
  });
});
