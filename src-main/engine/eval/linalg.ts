/**
 * Dense linear algebra on small symmetric matrices (d x d, row-major Float64Array), tf-free:
 * evaluation math must give the same answer on every backend, and d is 64-128 here, where a
 * plain Jacobi sweep takes milliseconds.
 */

/** A symmetric matrix's eigen-decomposition: A = V diag(values) V^T, V's columns the eigenvectors. */
export interface SymmetricEigen {
  /** Eigenvalues [d], ascending. */
  values: Float64Array;
  /** Eigenvectors [d, d] row-major; column j pairs with values[j]. */
  vectors: Float64Array;
}

/**
 * Cyclic Jacobi eigenvalue algorithm for a symmetric matrix [d, d] (Golub & Van Loan, Alg. 8.5.3,
 * with the threshold and skip rules of Numerical Recipes' `jacobi`). Chosen over QR because it is
 * short, needs no tridiagonalisation, and is accurate for small eigenvalues, which decide the
 * trace of a covariance square root. The input is not modified.
 */
export function symmetricEigen(matrix: Float64Array, d: number, maxSweeps = 100): SymmetricEigen {
  if (matrix.length !== d * d) throw new Error(`symmetricEigen: expected ${d * d} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  // Symmetrise: covariance sums in floating point are symmetric only up to rounding.
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const m = 0.5 * (a[i * d + j] + a[j * d + i]);
      a[i * d + j] = m;
      a[j * d + i] = m;
    }
  }
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;

  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < d; i++) {
      diag += a[i * d + i] * a[i * d + i];
      for (let j = i + 1; j < d; j++) off += a[i * d + j] * a[i * d + j];
    }
    if (off === 0 || off <= 1e-30 * diag) break;
    // Early sweeps only rotate away large elements (NR's threshold), which saves rotations.
    const threshold = sweep < 3 ? (0.2 * Math.sqrt(off)) / (d * d) : 0;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        const g = 100 * Math.abs(apq);
        const app = a[p * d + p];
        const aqq = a[q * d + q];
        // Negligible next to both diagonal entries: set to zero without rotating.
        if (sweep > 3 && Math.abs(app) + g === Math.abs(app) && Math.abs(aqq) + g === Math.abs(aqq)) {
          a[p * d + q] = 0;
          a[q * d + p] = 0;
          continue;
        }
        if (Math.abs(apq) <= threshold || apq === 0) continue;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(a, v, d, p, q, c, s, t);
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[i * d + i] - a[j * d + j]);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  order.forEach((src, dst) => {
    values[dst] = a[src * d + src];
    for (let r = 0; r < d; r++) vectors[r * d + dst] = v[r * d + src];
  });
  return { values, vectors };
}

/** Applies one Jacobi rotation in the (p, q) plane to `a` (both sides) and accumulates it into `v`. */
function rotate(a: Float64Array, v: Float64Array, d: number, p: number, q: number, c: number, s: number, t: number): void {
  const apq = a[p * d + q];
  a[p * d + p] -= t * apq;
  a[q * d + q] += t * apq;
  a[p * d + q] = 0;
  a[q * d + p] = 0;
  for (let r = 0; r < d; r++) {
    if (r !== p && r !== q) {
      const arp = a[r * d + p];
      const arq = a[r * d + q];
      const np = c * arp - s * arq;
      const nq = s * arp + c * arq;
      a[r * d + p] = np;
      a[p * d + r] = np;
      a[r * d + q] = nq;
      a[q * d + r] = nq;
    }
    const vrp = v[r * d + p];
    const vrq = v[r * d + q];
    v[r * d + p] = c * vrp - s * vrq;
    v[r * d + q] = s * vrp + c * vrq;
  }
}

/**
 * Principal square root of a symmetric positive semi-definite matrix [d, d]: V diag(sqrt(l)) V^T.
 * Eigenvalues below zero (rounding in a rank-deficient covariance) are clamped to zero.
 */
export function sqrtPsd(matrix: Float64Array, d: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, d);
  const roots = values.map((l) => Math.sqrt(Math.max(l, 0)));
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += vectors[i * d + k] * roots[k] * vectors[j * d + k];
      out[i * d + j] = acc;
      out[j * d + i] = acc;
    }
  }
  return out;
}

/** C = A B for square row-major matrices [d, d]. */
export function matMul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const aik = a[i * d + k];
      if (aik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
    }
  }
  return out;
}

export function trace(a: Float64Array, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += a[i * d + i];
  return t;
}
