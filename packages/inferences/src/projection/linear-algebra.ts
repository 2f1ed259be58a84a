/**
 * The little dense linear algebra the projection needs: a randomized PCA (Halko, Martinsson &
 * Tropp 2011) for wide embeddings, and a Jacobi eigensolver for the small symmetric matrices it
 * produces. Matrices are row-major typed arrays.
 */
import { gaussian, type Random } from './random.js';

/** Orthonormalises the `cols` columns of the rows × cols matrix `m` in place (modified Gram–Schmidt, twice). */
export function orthonormalizeColumns(m: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < cols; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += m[r * cols + c]! * m[r * cols + p]!;
        for (let r = 0; r < rows; r++) m[r * cols + c]! -= dot * m[r * cols + p]!;
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += m[r * cols + c]! ** 2;
      norm = Math.sqrt(norm);
      // A column that vanished (rank deficiency) stays zero; it then carries no variance.
      const scale = norm > 1e-300 ? 1 / norm : 0;
      for (let r = 0; r < rows; r++) m[r * cols + c]! *= scale;
    }
  }
}

/**
 * Eigen-decomposition of the symmetric size × size matrix `a` (cyclic Jacobi).
 * Returns the eigenvalues in descending order and the eigenvectors as the columns of `vectors`.
 */
export function symmetricEigen(
  a: Float64Array,
  size: number,
): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let i = 0; i < size; i++) {
      diagonal += m[i * size + i]! ** 2;
      for (let j = i + 1; j < size; j++) off += m[i * size + j]! ** 2;
    }
    if (off <= 1e-30 * diagonal || off === 0) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = m[p * size + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * size + q]! - m[p * size + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const mkp = m[k * size + p]!;
          const mkq = m[k * size + q]!;
          m[k * size + p] = c * mkp - s * mkq;
          m[k * size + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < size; k++) {
          const mpk = m[p * size + k]!;
          const mqk = m[q * size + k]!;
          m[p * size + k] = c * mpk - s * mqk;
          m[q * size + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]!;
          const vkq = v[k * size + q]!;
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: size }, (_, i) => i).sort((x, y) => m[y * size + y]! - m[x * size + x]!);
  const values = new Float64Array(size);
  const vectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    values[to] = m[from * size + from]!;
    for (let k = 0; k < size; k++) vectors[k * size + to] = v[k * size + from]!;
  });
  return { values, vectors };
}

/** out (rows × cols) = x (rows × inner) · w (inner × cols). */
function multiply(x: Float32Array, rows: number, inner: number, w: Float64Array, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < inner; j++) {
      const value = x[r * inner + j]!;
      if (value === 0) continue;
      const wj = j * cols;
      for (let c = 0; c < cols; c++) out[o + c]! += value * w[wj + c]!;
    }
  }
  return out;
}

/** out (inner × cols) = xᵀ (inner × rows) · y (rows × cols). */
function multiplyTransposed(
  x: Float32Array,
  rows: number,
  inner: number,
  y: Float64Array,
  cols: number,
): Float64Array {
  const out = new Float64Array(inner * cols);
  for (let r = 0; r < rows; r++) {
    const yr = r * cols;
    for (let j = 0; j < inner; j++) {
      const value = x[r * inner + j]!;
      if (value === 0) continue;
      const oj = j * cols;
      for (let c = 0; c < cols; c++) out[oj + c]! += value * y[yr + c]!;
    }
  }
  return out;
}

/**
 * The scores of the `components` leading principal components of the rows × dimension matrix
 * `x` (rows × components, row-major), by a randomized range finder with `powerIterations`
 * subspace iterations. `x` is centred in place.
 */
export function principalComponents(
  x: Float32Array,
  rows: number,
  dimension: number,
  components: number,
  random: Random,
  powerIterations = 1,
): Float32Array {
  const mean = new Float64Array(dimension);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dimension; j++) mean[j]! += x[r * dimension + j]!;
  for (let j = 0; j < dimension; j++) mean[j]! /= Math.max(rows, 1);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dimension; j++) x[r * dimension + j]! -= mean[j]!;

  const width = Math.min(components + 10, rows, dimension);
  const omega = new Float64Array(dimension * width);
  for (let i = 0; i < omega.length; i++) omega[i] = gaussian(random);
  let q = multiply(x, rows, dimension, omega, width);
  orthonormalizeColumns(q, rows, width);
  for (let i = 0; i < powerIterations; i++) {
    const z = multiplyTransposed(x, rows, dimension, q, width);
    orthonormalizeColumns(z, dimension, width);
    q = multiply(x, rows, dimension, z, width);
    orthonormalizeColumns(q, rows, width);
  }
  // x ≈ q·b with b = qᵀx; b·bᵀ = u·s²·uᵀ, and the scores x·v = q·u·s.
  const bt = multiplyTransposed(x, rows, dimension, q, width); // bᵀ: dimension × width
  const gram = new Float64Array(width * width);
  for (let j = 0; j < dimension; j++) {
    for (let a = 0; a < width; a++) {
      const ba = bt[j * width + a]!;
      for (let b = a; b < width; b++) gram[a * width + b]! += ba * bt[j * width + b]!;
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) gram[a * width + b] = gram[b * width + a]!;
  const { values, vectors } = symmetricEigen(gram, width);
  const kept = Math.min(components, width);
  const scores = new Float32Array(rows * components);
  for (let c = 0; c < kept; c++) {
    const s = Math.sqrt(Math.max(values[c]!, 0));
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let a = 0; a < width; a++) sum += q[r * width + a]! * vectors[a * width + c]!;
      scores[r * components + c] = sum * s;
    }
  }
  return scores;
}
