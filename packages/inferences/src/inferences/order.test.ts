import { describe, expect, it } from 'vitest';
import { permuteVectorsInPlace, stableOrder } from './order.js';

describe('row order', () => {
  it('sorts stably, ties in their order', () => {
    expect(Array.from(stableOrder(Float64Array.from([3, 1, 2, 1, 3])))).toEqual([1, 3, 2, 0, 4]);
    expect(Array.from(stableOrder(Float64Array.from([1, 1, 2])))).toEqual([0, 1, 2]);
  });

  it('moves vectors in place along every cycle, with their presence', () => {
    const rows = 7;
    const data = Float32Array.from({ length: rows * 3 }, (_, i) => Math.floor(i / 3) * 10 + (i % 3));
    const present = Uint8Array.from([1, 0, 1, 1, 1, 0, 1]);
    const order = Uint32Array.from([3, 0, 1, 2, 6, 5, 4]);
    const sorted = permuteVectorsInPlace({ dimension: 3, data, present }, order);
    expect(sorted.data).toBe(data);
    for (let i = 0; i < rows; i++) {
      const from = order[i]!;
      expect(Array.from(sorted.data.subarray(i * 3, i * 3 + 3))).toEqual([
        from * 10,
        from * 10 + 1,
        from * 10 + 2,
      ]);
      expect(sorted.present[i]).toBe(present[from]);
    }
  });
});
