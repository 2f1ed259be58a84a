import { describe, expect, it } from 'vitest';
import { principalComponents, symmetricEigen } from './linear-algebra.js';
import { gaussian, seededRandom } from './random.js';

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix (eigenvalues descending, orthonormal vectors)', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]!).toBeGreaterThanOrEqual(values[1]!);
    expect(values[1]!).toBeGreaterThanOrEqual(values[2]!);
    for (let c = 0; c < 3; c++) {
      for (let r = 0; r < 3; r++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += a[r * 3 + k]! * vectors[k * 3 + c]!;
        expect(av).toBeCloseTo(values[c]! * vectors[r * 3 + c]!, 10);
      }
    }
  });
});

describe('principalComponents', () => {
  it('recovers the spread along the leading axes of anisotropic data', () => {
    const random = seededRandom(2);
    const rows = 2000;
    const dimension = 100;
    const scales = Array.from({ length: dimension }, (_, d) => (d < 3 ? [10, 5, 3][d]! : 0.5));
    const x = Float32Array.from(
      { length: rows * dimension },
      (_, i) => gaussian(random) * scales[i % dimension]! + 7,
    );
    const scores = principalComponents(x, rows, dimension, 3, random);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let squares = 0;
      for (let r = 0; r < rows; r++) {
        sum += scores[r * 3 + c]!;
        squares += scores[r * 3 + c]! ** 2;
      }
      expect(Math.abs(sum / rows)).toBeLessThan(1e-3);
      expect(Math.sqrt(squares / rows) / scales[c]!).toBeCloseTo(1, 1);
    }
  });
});
