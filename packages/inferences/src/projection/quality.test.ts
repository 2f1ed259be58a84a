import { describe, expect, it } from 'vitest';
import { trustworthiness } from './quality.js';
import { gaussian, seededRandom } from './random.js';

/** scikit-learn's definition, by full sorts: the reference the fast version must match. */
function bySorting(x: Float32Array, dx: number, y: Float32Array, dy: number, k: number): number {
  const n = x.length / dx;
  const dist = (p: Float32Array, d: number, i: number, j: number) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += (p[i * d + c]! - p[j * d + c]!) ** 2;
    return s;
  };
  let t = 0;
  for (let i = 0; i < n; i++) {
    const others = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i);
    const inX = [...others].sort((a, b) => dist(x, dx, i, a) - dist(x, dx, i, b) || a - b);
    const inY = [...others].sort((a, b) => dist(y, dy, i, a) - dist(y, dy, i, b) || a - b);
    for (const j of inY.slice(0, k)) t += Math.max(0, inX.indexOf(j) + 1 - k);
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * t;
}

describe('trustworthiness', () => {
  const random = seededRandom(4);
  const n = 120;
  const x = Float32Array.from({ length: n * 10 }, () => gaussian(random));
  const y = Float32Array.from(
    { length: n * 2 },
    (_, i) => x[Math.floor(i / 2) * 10 + (i % 2)]! + gaussian(random) * 0.3,
  );

  it("matches scikit-learn's definition", () => {
    expect(trustworthiness(x, 10, y, 2, { k: 5 })).toBeCloseTo(bySorting(x, 10, y, 2, 5), 12);
    expect(trustworthiness(x, 10, y, 2, { k: 10 })).toBeCloseTo(bySorting(x, 10, y, 2, 10), 12);
  });

  it('is 1 for a projection that keeps every distance order, and lower for noise', () => {
    expect(trustworthiness(x, 10, x, 10)).toBe(1);
    const noise = Float32Array.from({ length: n * 2 }, () => gaussian(random));
    expect(trustworthiness(x, 10, noise, 2)).toBeLessThan(0.6);
  });

  it('estimates from a sample of points', () => {
    const exact = trustworthiness(x, 10, y, 2);
    expect(Math.abs(trustworthiness(x, 10, y, 2, { sample: 60, seed: 1 }) - exact)).toBeLessThan(0.03);
  });

  it('refuses mismatched inputs and a k too large', () => {
    expect(() => trustworthiness(x, 10, y.subarray(2), 2)).toThrow(/same number/);
    expect(() => trustworthiness(x, 10, y, 2, { k: 60 })).toThrow(/k must/);
  });
});
