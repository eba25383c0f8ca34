import { describe, expect, it } from 'vitest';
import {
  accuracy,
  fitLinear,
  fitStandardizer,
  linearObjective,
  predictLinear,
  standardize,
  type LinearLoss,
} from '../../src-main/engine/eval/linear-classifier';
import { fitWithValidation, holdoutMask, LAMBDA_GRID } from '../../src-main/engine/eval/model-selection';
import { nearestNeighbours } from '../../src-main/engine/eval/neighbours';
import { balancedSubset, classCounts, evalSplit } from '../../src-main/engine/eval/split';
import { Rng } from '../../src-main/engine/util/rng';

/**
 * K Gaussian blobs in d dims, centres 10 apart on the axes, noise 0.5: linearly separable with a
 * wide margin, so a correct classifier must be perfect on fresh draws.
 */
function blobs(n: number, d: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % k;
    for (let j = 0; j < d; j++) x[i * d + j] = (j === y[i] ? 10 : 0) + 0.5 * rng.normal() + (j === d - 1 ? 3 : 0);
  }
  return { x, y };
}

describe('linear classifier', () => {
  for (const loss of ['l2svm', 'logistic'] as LinearLoss[]) {
    it(`should separate separable classes perfectly (${loss})`, async () => {
      const train = blobs(90, 6, 3, 1);
      const test = blobs(300, 6, 3, 2);
      const model = await fitLinear(train.x, train.y, 90, 6, 3, { loss, lambda: 1e-3 });
      expect(accuracy(predictLinear(model, train.x, 90), train.y)).toBe(1);
      expect(accuracy(predictLinear(model, test.x, 300), test.y)).toBe(1);
    });

    it(`should have an objective whose gradient matches finite differences (${loss})`, () => {
      const { x, y } = blobs(12, 4, 3, 3);
      const f = linearObjective(x, y, 12, 4, 3, loss, 0.1);
      const rng = new Rng(9);
      const theta = Float64Array.from({ length: 3 * 4 + 3 }, () => 0.3 * rng.normal());
      const grad = new Float64Array(theta.length);
      f(theta, grad);
      const scratch = new Float64Array(theta.length);
      for (let i = 0; i < theta.length; i++) {
        const h = 1e-6;
        const plus = Float64Array.from(theta);
        const minus = Float64Array.from(theta);
        plus[i] += h;
        minus[i] -= h;
        const numeric = (f(plus, scratch) - f(minus, scratch)) / (2 * h);
        expect(grad[i]).toBeCloseTo(numeric, 5);
      }
    });
  }

  it('should be deterministic: the same data gives bit-identical weights', async () => {
    const { x, y } = blobs(60, 5, 3, 4);
    const a = await fitLinear(x, y, 60, 5, 3, { loss: 'l2svm', lambda: 1e-2 });
    const b = await fitLinear(x, y, 60, 5, 3, { loss: 'l2svm', lambda: 1e-2 });
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  });

  it('should prefer a stronger lambda when features are mostly noise', async () => {
    // One informative feature among 200 noisy ones and only 40 examples: weak regularisation overfits.
    const rng = new Rng(6);
    const n = 40;
    const d = 200;
    const x = new Float32Array(n * d).map(() => rng.normal());
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    for (let i = 0; i < n; i++) x[i * d] += y[i] ? 1.5 : -1.5;
    const fit = await fitWithValidation(x, y, n, d, 2, { loss: 'l2svm' });
    // The path runs strong to weak and stops two lambdas past the best.
    expect(fit.path.map((p) => p.lambda)).toEqual(LAMBDA_GRID.slice(0, fit.path.length));
    expect(fit.path.length).toBeGreaterThanOrEqual(3);
    expect(fit.lambda).toBeGreaterThanOrEqual(1e-2);
  });

  it('should hold out every 5th example of each class, keeping singleton classes whole', () => {
    const labels = [0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 2];
    expect(Array.from(holdoutMask(labels, labels.length))).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('should standardise to zero mean and unit variance, leaving constant features finite', () => {
    const rows = Float32Array.from([1, 5, 3, 5, 5, 5]);
    const { mean, scale } = fitStandardizer(rows, 3, 2);
    const z = standardize(rows, 3, 2, mean, scale);
    expect(z[0] + z[2] + z[4]).toBeCloseTo(0, 6);
    expect(Array.from([z[1], z[3], z[5]])).toEqual([0, 0, 0]);
  });
});

describe('evaluation split', () => {
  it('should be seeded and disjoint, with a pool that does not depend on the test size', () => {
    const a = evalSplit(1000, 7, 150);
    const b = evalSplit(1000, 7, 150);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(a.test.length).toBe(150);
    expect(a.pool.length).toBe(800); // a fifth is reserved for testing
    expect(new Set([...a.test, ...a.pool]).size).toBe(950);
    const larger = evalSplit(1000, 7, 200);
    expect(Array.from(larger.pool)).toEqual(Array.from(a.pool));
    expect(Array.from(larger.test.slice(0, 150))).toEqual(Array.from(a.test));
    expect(Array.from(evalSplit(1000, 8, 150).test)).not.toEqual(Array.from(a.test));
    expect(evalSplit(100, 7, 2000).test.length).toBe(20); // at most a fifth of a small dataset
  });

  it('should draw balanced, nested labelled subsets and fill from other classes when one runs out', () => {
    const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 30 ? 2 : i % 2));
    const { pool } = evalSplit(1000, 1, 100);
    const small = balancedSubset(pool, labels, 3, 30);
    expect(classCounts(small, labels, 3)).toEqual([10, 10, 10]);
    const big = balancedSubset(pool, labels, 3, 300);
    expect(Array.from(big.slice(0, 30))).toEqual(Array.from(small));
    const counts = classCounts(big, labels, 3);
    expect(counts[2]).toBeLessThanOrEqual(30);
    expect(counts[0] + counts[1] + counts[2]).toBe(300);
  });
});

describe('nearest neighbours', () => {
  it('should match brute force (k = 3) and find an exact copy at distance 0', () => {
    const rng = new Rng(12);
    const d = 37;
    const m = 500;
    const q = 9;
    const ref = new Float32Array(m * d).map(() => rng.normal());
    const queries = new Float32Array(q * d).map(() => rng.normal());
    queries.set(ref.subarray(123 * d, 124 * d), 4 * d); // query 4 is a copy of reference 123
    const nn = nearestNeighbours(queries, q, ref, m, d, 3);
    for (let i = 0; i < q; i++) {
      const dists = Array.from({ length: m }, (_, r) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += (queries[i * d + j] - ref[r * d + j]) ** 2;
        return [Math.sqrt(s), r] as const;
      }).sort((a, b) => a[0] - b[0]);
      for (let t = 0; t < 3; t++) {
        expect(nn.index[i * 3 + t]).toBe(dists[t][1]);
        expect(nn.distance[i * 3 + t]).toBeCloseTo(dists[t][0], 9);
      }
    }
    expect(nn.index[12]).toBe(123);
    expect(nn.distance[12]).toBe(0);
  });
});
