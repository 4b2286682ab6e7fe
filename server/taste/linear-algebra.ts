// Small dense/sparse linear algebra for the taste model, in plain TypeScript: a seeded Gaussian source,
// Gram-Schmidt orthonormalisation, a Jacobi eigen-solver for small symmetric matrices, and a randomized
// truncated SVD of a sparse row matrix (Halko, Martinsson & Tropp 2011). Sizes here are small (rank ≤ 64),
// so clarity wins over BLAS-style speed.
import { seededUniform } from '../lib/seeded-random.js';

/** Deterministic standard normal numbers (Box–Muller over `seededUniform`). */
export function seededGaussian(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/**
 * Orthonormalises `vectors` in place (modified Gram-Schmidt, twice for stability). A vector that is
 * (numerically) dependent on the earlier ones becomes zero rather than noise.
 */
export function orthonormalise(vectors: Float64Array[]): Float64Array[] {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i]!;
      for (let j = 0; j < i; j++) {
        const u = vectors[j]!;
        let dot = 0;
        for (let d = 0; d < v.length; d++) dot += v[d]! * u[d]!;
        for (let d = 0; d < v.length; d++) v[d]! -= dot * u[d]!;
      }
      let norm = 0;
      for (let d = 0; d < v.length; d++) norm += v[d]! * v[d]!;
      norm = Math.sqrt(norm);
      const scale = norm > 1e-10 ? 1 / norm : 0;
      for (let d = 0; d < v.length; d++) v[d]! *= scale;
    }
  }
  return vectors;
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: eigenvalues in descending
 * order and their unit eigenvectors (`vectors[k]` belongs to `values[k]`).
 */
export function symmetricEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! * a[p]![q]!;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y]![y]! - a[x]![x]!);
  return {
    values: order.map((i) => a[i]![i]!),
    vectors: order.map((i) => v.map((row) => row[i]!)),
  };
}

/** A sparse matrix as rows of (column, value) pairs. */
export interface SparseRows {
  columns: number;
  rows: Array<{ indices: number[]; values: number[] }>;
}

/** A × X for dense X given as `k` column vectors of length `columns`; returns k column vectors of length rows. */
function multiply(a: SparseRows, xs: Float64Array[]): Float64Array[] {
  return xs.map((x) => {
    const out = new Float64Array(a.rows.length);
    a.rows.forEach((row, r) => {
      let sum = 0;
      for (let e = 0; e < row.indices.length; e++) sum += row.values[e]! * x[row.indices[e]!]!;
      out[r] = sum;
    });
    return out;
  });
}

/** Aᵀ × Y for dense Y given as column vectors of length rows; returns column vectors of length `columns`. */
function multiplyTransposed(a: SparseRows, ys: Float64Array[]): Float64Array[] {
  return ys.map((y) => {
    const out = new Float64Array(a.columns);
    a.rows.forEach((row, r) => {
      const weight = y[r]!;
      if (weight === 0) return;
      for (let e = 0; e < row.indices.length; e++) out[row.indices[e]!]! += row.values[e]! * weight;
    });
    return out;
  });
}

export interface TruncatedSvd {
  /** Singular values, descending; components beyond the matrix's rank have value 0. */
  singularValues: number[];
  /** Right singular vectors: `rightVectors[k]` has one entry per column. */
  rightVectors: Float64Array[];
}

/**
 * Rank-`rank` truncated SVD of a sparse matrix by randomized range finding with `powerIterations`
 * subspace iterations (oversampled by `oversample`), then an exact SVD of the small projected matrix
 * through the eigen-decomposition of B·Bᵀ. Deterministic for a given seed.
 */
export function randomizedSvd(
  a: SparseRows,
  rank: number,
  options: { seed: number; oversample?: number; powerIterations?: number },
): TruncatedSvd {
  const width = Math.min(rank + (options.oversample ?? 8), a.columns, a.rows.length);
  const gaussian = seededGaussian(options.seed);
  const omega = Array.from({ length: width }, () => Float64Array.from({ length: a.columns }, gaussian));
  let q = orthonormalise(multiply(a, omega));
  for (let i = 0; i < (options.powerIterations ?? 3); i++) {
    const z = orthonormalise(multiplyTransposed(a, q));
    q = orthonormalise(multiply(a, z));
  }
  // B = Qᵀ A, held as its rows (width × columns) = (Aᵀ q_i)ᵀ.
  const b = multiplyTransposed(a, q);
  const gram = b.map((bi) =>
    b.map((bj) => {
      let dot = 0;
      for (let d = 0; d < bi.length; d++) dot += bi[d]! * bj[d]!;
      return dot;
    }),
  );
  const eigen = symmetricEigen(gram);
  const singularValues: number[] = [];
  const rightVectors: Float64Array[] = [];
  for (let k = 0; k < rank; k++) {
    const value = k < eigen.values.length ? Math.sqrt(Math.max(eigen.values[k]!, 0)) : 0;
    const v = new Float64Array(a.columns);
    if (value > 1e-9) {
      // v_k = Bᵀ u_k / σ_k
      const u = eigen.vectors[k]!;
      for (let i = 0; i < b.length; i++) {
        const weight = u[i]! / value;
        if (weight === 0) continue;
        const bi = b[i]!;
        for (let d = 0; d < bi.length; d++) v[d]! += weight * bi[d]!;
      }
      singularValues.push(value);
    } else {
      singularValues.push(0);
    }
    rightVectors.push(v);
  }
  return { singularValues, rightVectors };
}
