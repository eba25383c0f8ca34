import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { dFeatureBatch, dFeatureDim, extractDFeatures } from '../../src-main/engine/eval/d-features';
import { cnnSpec, FdClassifier } from '../../src-main/engine/eval/fd-classifier';
import { linearObjective } from '../../src-main/engine/eval/linear-classifier';
import { tfLinearObjective } from '../../src-main/engine/eval/linear-objective-tf';
import { nearestNeighbours } from '../../src-main/engine/eval/neighbours';
import { nearestNeighboursTf } from '../../src-main/engine/eval/neighbours-tf';
import { adaptiveMaxPool, adaptiveWindows } from '../../src-main/engine/eval/pooling';
import { arraySource } from '../../src-main/engine/eval/sources';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { restoreGan } from '../../src-main/engine/project/gan-state';
import { Trainer } from '../../src-main/engine/train/trainer';
import { Rng } from '../../src-main/engine/util/rng';
import type { BackendReport } from '../../src-main/shared/types';
import { tinyMnist } from '../helpers/projects';

let backend: BackendReport;
beforeAll(async () => {
  backend = await selectBackend('wasm');
});

/** PyTorch's AdaptiveMaxPool2d, written out per output cell. */
function bruteAdaptiveMax(x: Float32Array, b: number, h: number, w: number, c: number, out: number): Float32Array {
  const res = new Float32Array(b * out * out * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < out; i++)
      for (let j = 0; j < out; j++)
        for (let ch = 0; ch < c; ch++) {
          let m = -Infinity;
          for (let y = Math.floor((i * h) / out); y < Math.ceil(((i + 1) * h) / out); y++)
            for (let xx = Math.floor((j * w) / out); xx < Math.ceil(((j + 1) * w) / out); xx++)
              m = Math.max(m, x[((n * h + y) * w + xx) * c + ch]);
          res[((n * out + i) * out + j) * c + ch] = m;
        }
  return res;
}

describe('adaptive max pooling', () => {
  it('should use PyTorch windows (7 -> 4 overlaps, 14 -> 4 covers every row)', () => {
    expect(adaptiveWindows(7, 4)).toEqual([
      [0, 2],
      [1, 4],
      [3, 6],
      [5, 7],
    ]);
    expect(adaptiveWindows(14, 4)).toEqual([
      [0, 4],
      [3, 7],
      [7, 11],
      [10, 14],
    ]);
    expect(adaptiveWindows(16, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 12],
      [12, 16],
    ]);
  });

  for (const size of [14, 7, 16, 4, 5]) {
    it(`should match brute force for ${size}x${size} maps`, () => {
      const rng = new Rng(size);
      const data = new Float32Array(2 * size * size * 3).map(() => rng.normal());
      const x = tf.tensor4d(data, [2, size, size, 3]);
      const before = tf.memory().numTensors;
      const pooled = adaptiveMaxPool(x, 4);
      expect(pooled.shape).toEqual([2, 4, 4, 3]);
      expect(Array.from(pooled.dataSync())).toEqual(Array.from(bruteAdaptiveMax(data, 2, size, size, 3, 4)));
      pooled.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });
  }
});

describe('tfjs-accelerated pieces match their JS references', () => {
  for (const loss of ['l2svm', 'logistic'] as const) {
    it(`should compute the same objective and gradient on the backend (${loss})`, () => {
      const rng = new Rng(4);
      const n = 50;
      const d = 30;
      const K = 4;
      const x = new Float32Array(n * d).map(() => rng.normal());
      const y = Int32Array.from({ length: n }, (_, i) => i % K);
      const theta = Float64Array.from({ length: K * d + K }, () => 0.2 * rng.normal());
      const gJs = new Float64Array(theta.length);
      const gTf = new Float64Array(theta.length);
      const before = tf.memory().numTensors;
      const fTfObj = tfLinearObjective(x, y, n, d, K, loss, 0.05);
      const vTf = fTfObj(theta, gTf);
      fTfObj.dispose?.();
      expect(tf.memory().numTensors).toBe(before);
      const vJs = linearObjective(x, y, n, d, K, loss, 0.05)(theta, gJs);
      expect(vTf).toBeCloseTo(vJs, 4);
      for (let i = 0; i < theta.length; i++) expect(gTf[i]).toBeCloseTo(gJs[i], 4);
    });
  }

  it('should find the same neighbours as the exact JS search, on floats and on bytes', async () => {
    const rng = new Rng(21);
    const d = 50;
    const m = 3000;
    const q = 7;
    const ref = new Float32Array(m * d).map(() => rng.normal());
    const queries = new Float32Array(q * d).map(() => rng.normal());
    queries.set(ref.subarray(2500 * d, 2501 * d), 0);
    const exact = nearestNeighbours(queries, q, ref, m, d, 3);
    const fast = await nearestNeighboursTf(queries, q, ref, m, d, 3);
    expect(Array.from(fast.index)).toEqual(Array.from(exact.index));
    for (let i = 0; i < exact.distance.length; i++) expect(fast.distance[i]).toBeCloseTo(exact.distance[i], 10);
    expect(fast.distance[0]).toBe(0); // a copy is at exactly 0, not float32 rounding noise

    const refBytes = Uint8Array.from(ref, (v) => Math.max(0, Math.min(255, Math.round(128 + 40 * v))));
    const qBytes = Uint8Array.from(queries, (v) => Math.max(0, Math.min(255, Math.round(128 + 40 * v))));
    const exactB = nearestNeighbours(qBytes, q, refBytes, m, d, 2);
    const fastB = await nearestNeighboursTf(qBytes, q, refBytes, m, d, 2);
    expect(Array.from(fastB.distance)).toEqual(Array.from(exactB.distance));
  });
});

describe('D as a feature extractor', () => {
  it('should pool every hidden layer of D to 4x4 (MNIST: 14x14x64 and 7x7x128 -> 3072) without leaking tensors', async () => {
    const model = defaultModelConfig();
    expect(dFeatureDim(model)).toBe(16 * 64 + 16 * 128);
    const gan = buildGan(model, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 1 });
    const images = new Float32Array(5 * 28 * 28).map((_, i) => Math.sin(i));
    const before = tf.memory().numTensors;
    const all = await extractDFeatures(gan.D, model, arraySource(images, 5), { chunk: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(all.length).toBe(5 * 3072);
    // Inference-mode BatchNorm: an image's features do not depend on its batch.
    const alone = tf.tidy(() => dFeatureBatch(gan.D, model, tf.tensor4d(images.subarray(4 * 784), [1, 28, 28, 1])).dataSync());
    for (let j = 0; j < 3072; j += 97) expect(alone[j]).toBeCloseTo(all[4 * 3072 + j], 5);
    // Features after LeakyReLU: negative values exist only as 0.2x slopes; max-pooling picked the largest.
    expect(all.some((v) => v !== 0)).toBe(true);
    disposeGan(gan);
  });

  it('should feed a conditional D all-zero label maps', () => {
    const model = defaultModelConfig({ numClasses: 10, ndf: 8 });
    const gan = buildGan(model, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 2 });
    const out = tf.tidy(() => dFeatureBatch(gan.D, model, tf.zeros([3, 28, 28, 1]) as tf.Tensor4D).shape);
    expect(out).toEqual([3, dFeatureDim(model)]);
    disposeGan(gan);
  });

  it('should load exactly the checkpoint weights training wrote (and the initial ones at step 0)', async () => {
    const project = await tinyMnist();
    const trainer = Trainer.open(project, backend);
    await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
    trainer.dispose();
    const { config } = project;
    const [step] = project.checkpointSteps();
    for (const s of [0, step]) {
      const gan = buildGan(config.model, config.train);
      if (s > 0) restoreGan(gan, project.readCheckpoint(s));
      // What the evaluations use: a copy of G and D at the step, freed after the callback.
      await project.withGanAt(s, async (nets) => {
        for (const [net, ref] of [
          [nets.G, gan.G],
          [nets.D, gan.D],
        ] as const) {
          for (const [k, v] of ref.params) expect(Array.from(net.params.get(k)!.dataSync())).toEqual(Array.from(v.dataSync()));
          for (const [k, v] of ref.stats) expect(Array.from(net.stats.get(k)!.dataSync())).toEqual(Array.from(v.dataSync()));
        }
      });
      disposeGan(gan);
    }
    await expect(project.withGanAt(999, async () => undefined)).rejects.toThrow(
      expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no checkpoint at step 999/) }),
    );
  });
});

describe('quality classifier (ganvas-cnn-v1)', () => {
  it('should downsample to 4x4 for every image size and end in 64 features', () => {
    expect(cnnSpec(28, 1).map((l) => l.outChannels)).toEqual([16, 32, 64]);
    expect(cnnSpec(64, 3).map((l) => l.outChannels)).toEqual([16, 32, 64, 64]);
    expect(cnnSpec(128, 3).length).toBe(5);
  });

  it('should save and load to the same features, and refuse a classifier made for other images', async () => {
    const project = await tinyMnist();
    const info = {
      classifier: 'ganvas-cnn-v1' as const,
      featureDim: 64,
      size: 28,
      channels: 1 as const,
      numClasses: 10,
      trainSteps: 0,
      batchSize: 64,
      trainImages: 0,
      testImages: 0,
      testAccuracy: 0,
      seed: 1,
      createdAt: new Date().toISOString(),
    };
    const clf = FdClassifier.create(info, 5);
    clf.finish({ testAccuracy: 0.5, testImages: 1, trainImages: 1 });
    clf.save(project);
    const images = new Float32Array(3 * 784).map((_, i) => Math.cos(i));
    const a = await clf.extract(arraySource(images, 3));
    const loaded = FdClassifier.load(project, { size: 28, channels: 1, numClasses: 10 })!;
    expect(loaded.info.id).toBe(clf.info.id);
    expect(Array.from(await loaded.extract(arraySource(images, 3)))).toEqual(Array.from(a));
    expect(FdClassifier.load(project, { size: 28, channels: 1, numClasses: 3 })).toBeNull();
    clf.dispose();
    loaded.dispose();
  });
});
