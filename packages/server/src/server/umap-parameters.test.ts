import { describe, expect, it } from 'vitest';
import { parseUmapParameters, umapParameterProblems, umapParameters } from './umap-parameters.js';

describe('defaultUmapParameters', () => {
  it("takes Phoenix's ranges, each key optional, and fills in Phoenix's defaults", () => {
    expect(umapParameterProblems({ minDist: 0.99, nNeighbors: 5, nSamples: 1000 })).toEqual([]);
    expect(umapParameterProblems({})).toEqual([]);
    expect(umapParameters({ nSamples: 20 })).toEqual({ minDist: 0, nNeighbors: 30, nSamples: 20 });
    expect(umapParameters(undefined)).toEqual({ minDist: 0, nNeighbors: 30, nSamples: 500 });
  });

  it('names each bad field with its range', () => {
    expect(umapParameterProblems({ minDist: 1, nNeighbors: 4.5, nSamples: 0, spread: 1 })).toEqual([
      'defaultUmapParameters.minDist must be a number from 0 to 0.99, got 1',
      'defaultUmapParameters.nNeighbors must be a whole number from 5 to 100, got 4.5',
      'defaultUmapParameters.nSamples must be a whole number from 1 to 1000, got 0',
      'defaultUmapParameters.spread is not a UMAP parameter (expected minDist, nNeighbors or nSamples)',
    ]);
    expect(umapParameterProblems({ nNeighbors: '30' })).toEqual([
      'defaultUmapParameters.nNeighbors must be a whole number from 5 to 100, got "30"',
    ]);
    expect(umapParameterProblems([1, 2, 3])[0]).toMatch(/must be an object/);
  });

  it("reads Phoenix's command-line form min_dist,n_neighbors,n_samples", () => {
    expect(parseUmapParameters('0.1, 15, 200')).toEqual({
      value: { minDist: 0.1, nNeighbors: 15, nSamples: 200 },
      problems: [],
    });
    expect(parseUmapParameters('0.1,15').problems[0]).toMatch(/min_dist,n_neighbors,n_samples/);
    expect(parseUmapParameters('0,500,1').problems).toEqual([
      '--umap-parameters: nNeighbors must be a whole number from 5 to 100, got 500',
    ]);
  });
});
