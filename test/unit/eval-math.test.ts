import { describe, expect, it } from 'vitest';
import { frechetDistance, frechetFromFeatures } from '../../src-main/engine/eval/frechet';
import { minimizeLbfgs } from '../../src-main/engine/eval/lbfgs';
import { matMul, sqrtPsd, symmetricEigen } from '../../src-main/engine/eval/linalg';
import { fitGaussian, quantile, type Gaussian } from '../../src-main/engine/eval/stats';
import { Rng } from '../../src-main/engine/util/rng';

/** Random symmetric PSD matrix A = B B^T / d (full rank with probability 1). */
function randomPsd(d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const b = Float64Array.from({ length: d * d }, () => rng.normal());
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) a[i * d + j] += (b[i * d + k] * b[j * d + k]) / d;
  return a;
}

/** A random rotation (orthonormal columns from Gram-Schmidt on a Gaussian matrix). */
function randomRotation(d: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const q = Float64Array.from({ length: d * d }, () => rng.normal());
  for (let c = 0; c < d; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[r * d + c] * q[r * d + p];
      for (let r = 0; r < d; r++) q[r * d + c] -= dot * q[r * d + p];
    }
    let norm = 0;
    for (let r = 0; r < d; r++) norm += q[r * d + c] ** 2;
    for (let r = 0; r < d; r++) q[r * d + c] /= Math.sqrt(norm);
  }
  return q;
}

const transpose = (a: Float64Array, d: number) => Float64Array.from({ length: d * d }, (_, i) => a[(i % d) * d + Math.floor(i / d)]);
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
const gaussian = (mean: number[], cov: Float64Array): Gaussian => ({ mean: Float64Array.from(mean), cov, d: mean.length, n: 0 });
const diag = (values: number[]) => {
  const d = values.length;
  const m = new Float64Array(d * d);
  values.forEach((v, i) => (m[i * d + i] = v));
  return m;
};

describe('symmetric eigen-decomposition (Jacobi)', () => {
  it('should reconstruct A = V diag(l) V^T with orthonormal V and ascending eigenvalues', () => {
    const d = 24;
    const a = randomPsd(d, 3);
    const { values, vectors } = symmetricEigen(a, d);
    const vt = transpose(vectors, d);
    expect(maxAbsDiff(matMul(vt, vectors, d), diag(new Array(d).fill(1)))).toBeLessThan(1e-10);
    const recon = matMul(matMul(vectors, diag(Array.from(values)), d), vt, d);
    expect(maxAbsDiff(recon, a)).toBeLessThan(1e-10);
    for (let i = 1; i < d; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
  });

  it('should give a square root whose square is the matrix, also for a singular PSD matrix', () => {
    const d = 10;
    const full = randomPsd(d, 8);
    // Rank 3: a covariance from fewer samples than dimensions.
    const rng = new Rng(2);
    const low = new Float64Array(d * d);
    for (let s = 0; s < 3; s++) {
      const v = Array.from({ length: d }, () => rng.normal());
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) low[i * d + j] += v[i] * v[j];
    }
    for (const m of [full, low]) {
      const r = sqrtPsd(m, d);
      expect(maxAbsDiff(matMul(r, r, d), m)).toBeLessThan(1e-9);
    }
  });
});

describe('Fréchet distance', () => {
  it('should be zero for identical Gaussians and symmetric in its arguments', () => {
    const a = gaussian([1, -2, 0.5, 3], randomPsd(4, 1));
    const b = gaussian([0, 1, 2, -1], randomPsd(4, 2));
    expect(frechetDistance(a, a).fd).toBeCloseTo(0, 9);
    expect(frechetDistance(a, b).fd).toBeCloseTo(frechetDistance(b, a).fd, 9);
  });

  it('should match the closed form ||mu1-mu2||^2 + sum (sqrt(a_i) - sqrt(b_i))^2 for diagonal covariances', () => {
    const av = [4, 1, 9, 0.25, 2];
    const bv = [1, 1, 4, 1, 8];
    const a = gaussian([0, 0, 0, 0, 0], diag(av));
    const b = gaussian([3, 0, -4, 0, 0], diag(bv));
    const expected = 25 + av.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(bv[i])) ** 2, 0);
    const got = frechetDistance(a, b);
    expect(got.fd).toBeCloseTo(expected, 10);
    expect(got.meanTerm).toBeCloseTo(25, 12);
  });

  it('should match the closed form for covariances sharing a rotated eigenbasis (Q diag Q^T)', () => {
    const d = 6;
    const q = randomRotation(d, 11);
    const av = [0.5, 1, 2, 3, 5, 8];
    const bv = [2, 2, 0.1, 3, 1, 4];
    const rot = (v: number[]) => matMul(matMul(q, diag(v), d), transpose(q, d), d);
    const fd = frechetDistance(gaussian(new Array(d).fill(0), rot(av)), gaussian(new Array(d).fill(0), rot(bv))).fd;
    expect(fd).toBeCloseTo(
      av.reduce((s, v, i) => s + (Math.sqrt(v) - Math.sqrt(bv[i])) ** 2, 0),
      9,
    );
  });

  it('should match the 2x2 closed form Tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)) for non-commuting covariances', () => {
    const s1 = Float64Array.from([2, 0.8, 0.8, 1]);
    const s2 = Float64Array.from([1, -0.3, -0.3, 3]);
    const m = matMul(s1, s2, 2); // not symmetric: S1 and S2 do not commute
    expect(m[1]).not.toBeCloseTo(m[2], 3);
    const tr = m[0] + m[3];
    const det = m[0] * m[3] - m[1] * m[2];
    const expected = 3 + 4 - 2 * Math.sqrt(tr + 2 * Math.sqrt(det)) + (1 - 0) ** 2 + (2 - 0) ** 2;
    expect(frechetDistance(gaussian([1, 2], s1), gaussian([0, 0], s2)).fd).toBeCloseTo(expected, 10);
  });

  it('should estimate the population distance from samples: N(mu, I) vs N(0, 4I) in 8-D', () => {
    const d = 8;
    const n = 20_000;
    const rng = new Rng(5);
    const a = new Float32Array(n * d).map((_, i) => (i % d === 0 ? 1 : 0) + rng.normal());
    const b = new Float32Array(n * d).map(() => 2 * rng.normal());
    // ||mu||^2 = 1, covariance term d (1 - 2)^2 = 8.
    expect(frechetFromFeatures(a, n, b, n, d).fd).toBeCloseTo(9, 0);
  });

  it('should fit the unbiased covariance (numpy cov)', () => {
    const rows = Float32Array.from([1, 2, 3, 6, 5, 4, 0, 0]); // 4 rows of 2
    const g = fitGaussian(rows, 4, 2);
    expect(Array.from(g.mean)).toEqual([2.25, 3]);
    // numpy.cov([[1,3,5,0],[2,6,4,0]]) = [[59/12, 13/3], [13/3, 20/3]]
    expect(g.cov[0]).toBeCloseTo(59 / 12, 12);
    expect(g.cov[1]).toBeCloseTo(13 / 3, 12);
    expect(g.cov[3]).toBeCloseTo(20 / 3, 12);
  });
});

describe('L-BFGS and quantiles', () => {
  it('should minimise the Rosenbrock function to (1, 1)', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      const [a, b] = x;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const r = minimizeLbfgs(f, Float64Array.from([-1.2, 1]), { maxIterations: 500, gradTol: 1e-10, fTol: 0 });
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it('should interpolate quantiles like numpy', () => {
    const v = [7, 1, 3, 9, 5];
    expect(quantile(v, 0.5)).toBe(5);
    expect(quantile(v, 0.1)).toBeCloseTo(1.8, 12); // numpy.quantile([1,3,5,7,9], 0.1)
    expect(quantile(v, 0.9)).toBeCloseTo(8.2, 12);
  });
});
