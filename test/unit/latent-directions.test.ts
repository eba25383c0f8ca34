/**
 * Discovered directions (GANSpace): orthonormal, ranked by explained variance, the PCA checked
 * against an exact eigen-decomposition, and the first direction moving the trained G's output
 * more than random directions of the same length.
 */
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { symmetricEigen } from '../../src-main/engine/eval/linalg';
import { runGenerator } from '../../src-main/engine/inspect/activations';
import { directionSheet, directionSweep, sweepOffsets } from '../../src-main/engine/latent/direction-sheet';
import { directionsJson, discoverDirections, gramSchmidt, regressToZ } from '../../src-main/engine/latent/directions';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, type Gan } from '../../src-main/engine/models/gan';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { Rng } from '../../src-main/engine/util/rng';
import { PNG } from 'pngjs';
import { FIXTURE_MODEL, loadFixtureGan } from '../fixtures/invert/mnist-gan';

let gan: Gan;
const model = FIXTURE_MODEL;

beforeAll(async () => {
  await selectBackend('wasm');
  gan = loadFixtureGan();
});
afterAll(() => disposeGan(gan));

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Mean absolute pixel change of G(z + d) - G(z) over the base z rows. */
function outputChange(base: Float32Array, d: Float32Array, n: number): number {
  const moved = Float32Array.from(base);
  for (let j = 0; j < n; j++) for (let i = 0; i < model.zDim; i++) moved[j * model.zDim + i] += d[i];
  const a = generateImages(gan.G, model, base, null);
  const b = generateImages(gan.G, model, moved, null);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

describe('discovered directions on the trained MNIST G', () => {
  it('should be orthonormal, ranked by explained variance, deterministic, and leave no tensors', () => {
    const tensors = tf.memory().numTensors;
    const d = discoverDirections(gan.G, model, { count: 6, samples: 1000, seed: 3 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(d.layer).toBe('g0');
    expect(d.directions).toHaveLength(6);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(dot(d.directions[i], d.directions[j])).toBeCloseTo(i === j ? 1 : 0, 5);
    for (let i = 1; i < 6; i++) expect(d.explainedVariance[i]).toBeLessThanOrEqual(d.explainedVariance[i - 1]);
    expect(d.explainedVariance[0]).toBeGreaterThan(0);
    expect(d.explainedVariance.reduce((a, b) => a + b, 0)).toBeLessThan(1);
    const again = discoverDirections(gan.G, model, { count: 6, samples: 1000, seed: 3 });
    expect(Array.from(again.directions[0])).toEqual(Array.from(d.directions[0]));
    const json = directionsJson(d);
    expect(json.directions[0]).toMatchObject({ rank: 1, explainedVariance: d.explainedVariance[0] });
    expect(json.directions[0].vector).toHaveLength(model.zDim);
  });

  it('should move G output more along the first direction than along random directions of the same norm', () => {
    const d = discoverDirections(gan.G, model, { count: 3, samples: 2000 });
    const n = 16;
    const base = latentVectors(model, n, 77);
    const step = 2;
    const first = outputChange(
      base,
      d.directions[0].map((v) => v * step),
      n,
    );
    const rng = new Rng(5);
    const randoms = Array.from({ length: 8 }, () => {
      const r = rng.fillNormal(new Float32Array(model.zDim));
      const norm = Math.sqrt(dot(r, r));
      return outputChange(
        base,
        r.map((v) => (v / norm) * step),
        n,
      );
    });
    const meanRandom = randoms.reduce((a, b) => a + b, 0) / randoms.length;
    console.log(`direction 1 moves pixels by ${first.toFixed(3)}, random unit directions by ${meanRandom.toFixed(3)} (mean of 8)`);
    expect(first).toBeGreaterThan(1.2 * meanRandom);
  });

  it('should draw a sheet with one row per direction, the base image in the middle column', async () => {
    const d = discoverDirections(gan.G, model, { count: 3, samples: 500 });
    const sheet = await directionSheet(localDrawer(model, gan), model, d.directions, { seed: 4, span: 3, columns: 5, scale: 2 });
    expect([sheet.rows, sheet.cols]).toEqual([3, 5]);
    expect(sheet.offsets).toEqual([-3, -1.5, 0, 1.5, 3]);
    const png = PNG.sync.read(sheet.png);
    expect([png.width, png.height]).toEqual([(5 * 28 + 6 * 2) * 2, (3 * 28 + 4 * 2) * 2]);
    expect([png.width, png.height]).toEqual([sheet.width, sheet.height]);
    const frames = directionSweep(model, sheet.base, d.directions[0], [0, 1]);
    expect(Array.from(frames[0].z)).toEqual(Array.from(sheet.base));
    expect(frames[1].z[0]).toBeCloseTo(sheet.base[0] + d.directions[0][0], 6);
    expect(() => sweepOffsets(3, 1)).toThrow(/at least 2 steps/);
  });

  it('should refuse more directions than z has dimensions, and too few samples', () => {
    expect(() => discoverDirections(gan.G, model, { count: 17 })).toThrow(/--count must be an integer in 1..16/);
    expect(() => discoverDirections(gan.G, model, { count: 5, samples: 5 })).toThrow(/--samples must be an integer in 10..100000/);
  });
});

describe('the PCA behind the directions', () => {
  it('should find the top eigenvalues of the activation covariance exactly (small layer, checked by Jacobi)', () => {
    const small = defaultModelConfig({ ngf: 1, ndf: 1, zDim: 8 }); // g0: 7 x 7 x 2 = 98 activations
    const g = buildGan(small, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 9 });
    try {
      const d = discoverDirections(g.G, small, { count: 3, samples: 600, seed: 1, iterations: 30 });
      // An independent, larger sample of g0's activations for the exact covariance.
      const sample = latentVectors(small, 4000, 12345);
      const { acts } = runGenerator(g.G, small, sample, null, (l) => l === 'g0');
      const a = acts.get('g0')!;
      const dim = a.data.length / 4000;
      const mean = new Float64Array(dim);
      for (let j = 0; j < 4000; j++) for (let i = 0; i < dim; i++) mean[i] += a.data[j * dim + i] / 4000;
      const cov = new Float64Array(dim * dim);
      for (let j = 0; j < 4000; j++)
        for (let p = 0; p < dim; p++) {
          const x = a.data[j * dim + p] - mean[p];
          for (let q = 0; q < dim; q++) cov[p * dim + q] += (x * (a.data[j * dim + q] - mean[q])) / 4000;
        }
      const exact = Array.from(symmetricEigen(cov, dim).values).sort((x, y) => y - x);
      const trace = exact.reduce((s, v) => s + v, 0);
      // Different samples (600 vs 4000 z): agree to sampling error, a few percent.
      for (let i = 0; i < 3; i++) expect(d.variance[i] / exact[i]).toBeGreaterThan(0.85);
      for (let i = 0; i < 3; i++) expect(d.variance[i] / exact[i]).toBeLessThan(1.15);
      expect(d.totalVariance / trace).toBeGreaterThan(0.9);
      expect(d.totalVariance / trace).toBeLessThan(1.1);
    } finally {
      disposeGan(g);
    }
  });

  it('should regress each score on z and orthonormalise in rank order with positive largest entries', () => {
    // Rows of z (1,0) (-1,0) (0,1) (0,-1); score 0 follows z's first entry, score 1 twice its second: u0 = e0, u1 = e1 / 2.
    const n = 4;
    const zRows = new Float32Array([1, 0, -1, 0, 0, 1, 0, -1]);
    const x = new Float32Array([1, 0, -1, 0, 0, 2, 0, -2]); // scores [n, 2]
    const u = regressToZ(x, zRows, n, 2, 2);
    expect(Array.from(u[0], (v) => v + 0)).toEqual([1, 0]);
    expect(Array.from(u[1], (v) => v + 0)).toEqual([0, 0.5]);
    const q = gramSchmidt([Float64Array.from([-2, 0]), Float64Array.from([1, 1])]);
    expect(Array.from(q[0], (v) => v + 0)).toEqual([1, 0]); // + 0 turns -0 into 0
    expect(Array.from(q[1], (v) => v + 0)).toEqual([0, 1]);
    expect(() => gramSchmidt([Float64Array.from([1, 0]), Float64Array.from([2, 0])])).toThrow(/linearly dependent/);
  });
});
