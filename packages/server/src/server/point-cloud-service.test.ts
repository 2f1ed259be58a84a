import { InferenceModel, InvalidParameterError, pointCloudParameters } from '@fawkes/inferences';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureSet } from '../../test-support/inference-fixtures.js';
import { PointCloudService } from './point-cloud-service.js';

describe('PointCloudService (nlp fixture)', () => {
  let model: InferenceModel;
  let service: PointCloudService;
  beforeAll(async () => {
    const [primary, reference] = await Promise.all([
      loadFixtureSet('nlp', 'primary'),
      loadFixtureSet('nlp', 'reference'),
    ]);
    model = new InferenceModel({ primary, reference });
  });
  afterEach(() => service?.close());

  it('shares a running layout, reports its progress, and caches the result', async () => {
    service = new PointCloudService(model);
    const parameters = pointCloudParameters({ nSamples: 150 });
    const first = service.cloud('text_embedding', parameters);
    expect(service.cloud('text_embedding', parameters)).toBe(first);
    expect(service.progress('text_embedding')).toEqual([
      { embedding: 'text_embedding', parameters, done: 0, total: null },
    ]);
    const cloud = await first;
    expect(cloud.layout.labels).toHaveLength(cloud.sample.events.length);
    expect(service.progress()).toEqual([]);
    expect(service.cloud('text_embedding', parameters)).toBe(first);
    const other = service.cloud('text_embedding', { ...parameters, seed: 7 });
    expect(other).not.toBe(first);
    await other;
  });

  it('re-clusters in its own thread; a bad coordinate is a parameter error', async () => {
    service = new PointCloudService(model);
    const { layout } = await service.cloud('text_embedding', pointCloudParameters({ nSamples: 100 }));
    const labels = await service.recluster(layout.coordinates.slice(), 3, {
      minClusterSize: 10,
      minSamples: 1,
      clusterSelectionEpsilon: 0,
    });
    expect(labels).toEqual(layout.labels);
    const bad = () => Float32Array.from([0, 0, Number.NaN, 1, 1, 1]);
    await expect(
      service.recluster(bad(), 3, { minClusterSize: 2, minSamples: 1, clusterSelectionEpsilon: 0 }),
    ).rejects.toThrow(expect.objectContaining({ name: 'InvalidParameterError', parameter: 'coordinates' }));
    await expect(
      service.recluster(bad(), 3, { minClusterSize: 2, minSamples: 1, clusterSelectionEpsilon: 0 }),
    ).rejects.toBeInstanceOf(InvalidParameterError);
  });

  it('fails what is running when closed, then refuses work; a failed layout is not cached', async () => {
    service = new PointCloudService(model);
    const failed = service.cloud('nope', pointCloudParameters({ nSamples: 150 }));
    await expect(failed).rejects.toThrow(/no embedding named "nope"/);
    const retried = service.cloud('nope', pointCloudParameters({ nSamples: 150 }));
    expect(retried).not.toBe(failed);
    await expect(retried).rejects.toThrow(/no embedding named "nope"/);
    const running = service.cloud('text_embedding', pointCloudParameters({ nSamples: 150 }));
    await service.close();
    await expect(running).rejects.toThrow(/closed/);
    await expect(service.cloud('text_embedding', pointCloudParameters({ nSamples: 150 }))).rejects.toThrow(
      /closed/,
    );
  });
});
