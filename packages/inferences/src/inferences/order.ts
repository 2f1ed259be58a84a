import type { DimensionValues, EmbeddingVectors } from '../metrics/types.js';

/** The row order that sorts `keys` ascending, ties kept in their order (a stable sort, as polars' maintainOrder). */
export function stableOrder(keys: Float64Array): Uint32Array {
  const order = new Uint32Array(keys.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! <= keys[i]!;
  if (sorted) return order;
  return order.sort((a, b) => keys[a]! - keys[b]! || a - b);
}

export function isIdentity(order: Uint32Array): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return false;
  return true;
}

export function permuteFloat64(values: Float64Array, order: Uint32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]!]!;
  return out;
}

export function permuteArray<T>(values: readonly T[], order: Uint32Array): T[] {
  const out = new Array<T>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]!]!;
  return out;
}

export function permuteValues(values: DimensionValues, order: Uint32Array): DimensionValues {
  return values.kind === 'numeric'
    ? { ...values, values: permuteFloat64(values.values, order) }
    : { kind: 'categorical', values: permuteArray(values.values, order) };
}

/**
 * Puts the vectors in the given order in place (row i becomes row order[i] of the input), cycle by
 * cycle with one spare row: a second 300 MB block would cost more in first-touch page faults
 * than the copying itself.
 */
export function permuteVectorsInPlace(vectors: EmbeddingVectors, order: Uint32Array): EmbeddingVectors {
  const { dimension, data, present } = vectors;
  const placed = new Uint8Array(order.length);
  const spare = new Float32Array(dimension);
  for (let start = 0; start < order.length; start++) {
    if (placed[start] || order[start] === start) continue;
    spare.set(data.subarray(start * dimension, (start + 1) * dimension));
    let target = start;
    for (;;) {
      placed[target] = 1;
      const source = order[target]!;
      if (source === start) {
        data.set(spare, target * dimension);
        break;
      }
      data.copyWithin(target * dimension, source * dimension, (source + 1) * dimension);
      target = source;
    }
  }
  const sortedPresent = new Uint8Array(present.length);
  for (let i = 0; i < order.length; i++) sortedPresent[i] = present[order[i]!]!;
  return { dimension, data, present: sortedPresent };
}
