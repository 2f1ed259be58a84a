import { describe, expect, it } from 'vitest';
import { type AnnotationConfigDocument, configViolation } from './annotation-config.js';

const categorical: AnnotationConfigDocument = {
  type: 'CATEGORICAL',
  description: null,
  optimization_direction: 'MAXIMIZE',
  values: [
    { label: 'correct', score: 1 },
    { label: 'incorrect', score: 0 },
  ],
};
const bounded = (lower: number | null, upper: number | null): AnnotationConfigDocument => ({
  type: 'CONTINUOUS',
  description: null,
  optimization_direction: 'NONE',
  lower_bound: lower,
  upper_bound: upper,
});

describe('configViolation', () => {
  it('accepts a categorical label among the values, or no label', () => {
    expect(configViolation('c', categorical, { label: 'correct', score: null })).toBeNull();
    expect(configViolation('c', categorical, { label: null, score: 0.5 })).toBeNull();
  });

  it('refuses any other label, naming the values', () => {
    expect(configViolation('c', categorical, { label: 'Correct', score: 1 })).toEqual({
      field: 'label',
      type: 'enum',
      msg: "Input should be 'correct' or 'incorrect' (the values of annotation config 'c')",
    });
  });

  it('bounds continuous scores inclusively, on either side alone', () => {
    const config = bounded(0, 1);
    expect(configViolation('s', config, { label: null, score: 0 })).toBeNull();
    expect(configViolation('s', config, { label: null, score: 1 })).toBeNull();
    expect(configViolation('s', config, { label: 'any', score: null })).toBeNull();
    expect(configViolation('s', config, { label: null, score: -0.01 })).toMatchObject({
      field: 'score',
      type: 'greater_than_equal',
    });
    expect(configViolation('s', config, { label: null, score: 1.5 })).toEqual({
      field: 'score',
      type: 'less_than_equal',
      msg: "Input should be less than or equal to 1 (the upper bound of annotation config 's')",
    });
    expect(configViolation('s', bounded(null, 10), { label: null, score: -1e9 })).toBeNull();
    expect(configViolation('s', bounded(5, null), { label: null, score: 4 })).not.toBeNull();
  });

  it('lets freeform annotations through', () => {
    const freeform: AnnotationConfigDocument = {
      type: 'FREEFORM',
      description: null,
      optimization_direction: null,
      threshold: null,
      lower_bound: 0,
      upper_bound: 1,
    };
    expect(configViolation('f', freeform, { label: 'x', score: 7 })).toBeNull();
  });
});
