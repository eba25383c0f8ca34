/**
 * The label-free score's parts on inputs with known answers: ranks, k-NN precision and recall,
 * diversity, the stored feature space, and scoring a sample source without leaking tensors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { arraySource } from '../../src-main/engine/eval/sources';
import { checkpointsPerScore, scoringShare, withinBudget } from '../../src-main/engine/health/budget';
import { CONTRASTIVE_SPACE, FeatureNet, featureDim, RANDOM_SPACE } from '../../src-main/engine/health/feature-net';
import { coverage, meanPairwiseDistance, selfNeighbours } from '../../src-main/engine/health/manifold';
import { ranks, spearman } from '../../src-main/engine/health/ranks';
import { prepareReference, scoreSamples } from '../../src-main/engine/health/score';
import { trainContrastive } from '../../src-main/engine/health/ssl';
import { Rng } from '../../src-main/engine/util/rng';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** n points of dimension d around `centre` (per-coordinate N(centre, spread)). */
function cloud(rng: Rng, n: number, d: number, centre: number, spread = 1): Float32Array {
  return rng.fillNormal(new Float32Array(n * d), centre, spread);
}

/** n 28x28 "images" of one white disc each, at random places and sizes: features with structure. */
function discs(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n * 784).fill(-1);
  for (let i = 0; i < n; i++) {
    const cx = 6 + rng.next() * 16;
    const cy = 6 + rng.next() * 16;
    const r = 3 + rng.next() * 5;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) out[i * 784 + y * 28 + x] = 1;
  }
  return out;
}

describe('ranks and Spearman correlation', () => {
  it('should average tied ranks and give +1, -1 and the textbook value', () => {
    expect(ranks([10, 30, 20, 20])).toEqual([1, 4, 2.5, 2.5]);
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // rho = 1 - 6 * sum(d^2) / (n (n^2 - 1)) without ties: d = (0, 1, -1, 0, 0) -> 1 - 12/120 = 0.9
    expect(spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 5])).toBeCloseTo(0.9, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('k-NN manifolds (Kynkäänniemi et al. 2019)', () => {
  it('should exclude each point itself from its own k nearest, and count exact duplicates as distance 0', () => {
    const rows = Float32Array.from([0, 0, 1, 0, 3, 0, 3, 0, 10, 0]); // 1-D on x: 0, 1, 3, 3, 10
    const own = selfNeighbours(rows, 5, 2, 2);
    expect(Array.from(own.nearest)).toEqual([1, 1, 0, 0, 7]);
    expect(Array.from(own.radius)).toEqual([3, 2, 2, 2, 7]);
  });

  it('should give precision and recall 1 for the same set, and split them for a generator covering one of two modes', () => {
    const rng = new Rng(1);
    const d = 8;
    const real = new Float32Array(400 * d);
    real.set(cloud(rng, 200, d, -6, 1), 0);
    real.set(cloud(rng, 200, d, 6, 1), 200 * d);
    const realRadius = selfNeighbours(real, 400, d, 3).radius;
    expect(coverage(real, 400, real, 400, d, realRadius)).toBe(1);

    const oneMode = cloud(rng, 400, d, 6, 1); // collapsed onto the second mode
    const fakeRadius = selfNeighbours(oneMode, 400, d, 3).radius;
    const precision = coverage(oneMode, 400, real, 400, d, realRadius);
    const recall = coverage(real, 400, oneMode, 400, d, fakeRadius);
    expect(precision).toBeGreaterThan(0.8);
    expect(recall).toBeGreaterThan(0.35);
    expect(recall).toBeLessThan(0.55);
    const far = cloud(rng, 400, d, 40, 1);
    expect(coverage(far, 400, real, 400, d, realRadius)).toBe(0);
  });

  it('should measure spread as the mean pairwise distance (0 for one repeated point)', () => {
    expect(meanPairwiseDistance(Float32Array.from([0, 0, 3, 4, 0, 0]), 3, 2)).toBeCloseTo((5 + 0 + 5) / 3, 12);
    expect(meanPairwiseDistance(new Float32Array(20).fill(2), 10, 2)).toBe(0);
  });
});

describe('the fixed feature space', () => {
  it('should be the same space for the same seed, another for another seed, and survive storing', async () => {
    const before = tf.memory().numTensors;
    const a = FeatureNet.random(28, 1, 5);
    const b = FeatureNet.random(28, 1, 5);
    const c = FeatureNet.random(28, 1, 6);
    expect(a.info.id).toMatch(new RegExp(`^${RANDOM_SPACE}-[0-9a-f]{8}$`));
    expect(b.info.id).toBe(a.info.id);
    expect(c.info.id).not.toBe(a.info.id);
    expect(a.info.dim).toBe(featureDim(28, 1));
    expect(a.info.dim).toBe(128);
    expect(featureDim(64, 3)).toBe(128);

    const stored = JSON.parse(JSON.stringify(a.toStored()));
    expect(stored.tensors).toBeUndefined(); // a random space is its seed
    const back = FeatureNet.fromStored(stored);
    const images = new Rng(2).fillUniform(new Float32Array(6 * 784), -1, 1);
    const fa = await a.extract(arraySource(images, 6));
    expect(Array.from(await back.extract(arraySource(images, 6)))).toEqual(Array.from(fa));
    expect(() => FeatureNet.fromStored({ ...stored, info: { ...stored.info, id: `${RANDOM_SPACE}-00000000` } })).toThrow(
      /could not be rebuilt/,
    );
    expect(() => FeatureNet.fromStored({ ...stored, format: 'other' })).toThrow(/Not a Ganvas feature space/);
    for (const net of [a, b, c, back]) net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the self-supervised (contrastive) feature space', () => {
  it('should learn (its loss falls), become a new space, and be stored with its weights', async () => {
    const before = tf.memory().numTensors;
    const net = FeatureNet.random(28, 1, 4);
    const randomId = net.info.id;
    const images = discs(new Rng(8), 64);
    const { firstLoss, lastLoss } = await trainContrastive(net, arraySource(images, 64), { seed: 1, steps: 30, batchSize: 16 });
    expect(lastLoss).toBeLessThan(firstLoss);
    expect(net.info.name).toBe(CONTRASTIVE_SPACE);
    expect(net.info.id).not.toBe(randomId);
    expect(net.info.training).toEqual({ method: 'contrastive', steps: 30, batchSize: 16, images: 64 });
    const stored = JSON.parse(JSON.stringify(net.toStored()));
    expect(stored.tensors).toHaveLength(6); // 3 layers x (weights, bias)
    const back = FeatureNet.fromStored(stored);
    const probe = arraySource(images.subarray(0, 4 * 784), 4);
    expect(Array.from(await back.extract(probe))).toEqual(Array.from(await net.extract(probe)));
    net.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('scoring samples against real images', () => {
  it('should score real-like samples near the floor and a constant generator as collapsed, leaking no tensors', async () => {
    const space = FeatureNet.random(28, 1, 1);
    const rng = new Rng(3);
    const blobs = (n: number) => discs(rng, n);
    const before = tf.memory().numTensors;
    const ref = await prepareReference(space, arraySource(blobs(400), 400), { n: 200 });
    expect(ref.floor).not.toBeNull();
    const good = await scoreSamples(space, ref, arraySource(blobs(200), 200), { step: 1 });
    const constant = await scoreSamples(space, ref, arraySource(new Float32Array(200 * 784).fill(0.2), 200), { step: 2 });
    expect(tf.memory().numTensors).toBe(before);

    expect(good.record.fd).toBeLessThan(4 * ref.floor!.fd + 1e-6);
    expect(good.record.precision).toBeGreaterThan(0.6);
    expect(good.record.recall).toBeGreaterThan(0.6);
    expect(good.record.diversity).toBeGreaterThan(0.8);
    expect(good.record.nearDuplicates).toBeLessThan(0.2);
    expect(constant.record.diversity).toBeLessThan(1e-6);
    expect(constant.record.nearDuplicates).toBe(1);
    expect(constant.record.recall).toBe(0);
    expect(constant.record.fd).toBeGreaterThan(10 * good.record.fd);
    expect(good.record.space).toBe(space.info.id);
    await expect(scoreSamples(space, ref, arraySource(blobs(100), 100), { step: 3 })).rejects.toThrow(/as many samples as real images/);
    space.dispose();
  });
});

describe('the scoring budget', () => {
  it('should score only while scoring stays within its share of training time', () => {
    expect(withinBudget({ trainingSeconds: 200, scoringSeconds: 0 }, 5)).toBe(true); // 5 <= 5% of 200
    expect(withinBudget({ trainingSeconds: 200, scoringSeconds: 6 }, 5)).toBe(false);
    expect(withinBudget({ trainingSeconds: 400, scoringSeconds: 6 }, 5, 0.05)).toBe(true);
    expect(checkpointsPerScore(2, 200)).toBe(1);
    expect(checkpointsPerScore(25, 200)).toBe(3); // 25 s against 10 s allowed per checkpoint
    expect(scoringShare(2, 200)).toBeCloseTo(0.01, 12);
  });
});
