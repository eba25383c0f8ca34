/**
 * Projection (image -> z) on a small trained MNIST DCGAN (test/fixtures/invert/mnist-gan.ts,
 * trained on the 60k training digits only): G's own images are recovered with their z, held-out
 * real digits are reconstructed as the same digit by the project's quality classifier.
 */
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { loadBuiltin } from '../../src-main/engine/data/builtin';
import type { DatasetCache } from '../../src-main/engine/data/cache';
import { FdClassifier, FD_CLASSIFIER_NAME } from '../../src-main/engine/eval/fd-classifier';
import { projectionAnimation } from '../../src-main/engine/invert/animation';
import { Projection, type ProjectionNets } from '../../src-main/engine/invert/projector';
import { projectImage, projectImages } from '../../src-main/engine/invert/run';
import { targetFromImageFile, targetFromPixels } from '../../src-main/engine/invert/target';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, type Gan } from '../../src-main/engine/models/gan';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { Rng } from '../../src-main/engine/util/rng';
import { encodeGif } from '../../src-main/engine/video/gif';
import { FIXTURE_MODEL, loadFixtureGan, MNIST_TRAIN_COUNT } from '../fixtures/invert/mnist-gan';
import { tempDir } from '../helpers/projects';

let gan: Gan;
let nets: ProjectionNets;
const model = FIXTURE_MODEL;

beforeAll(async () => {
  await selectBackend('wasm');
  gan = loadFixtureGan();
  nets = { G: gan.G, D: gan.D, model };
});
afterAll(() => disposeGan(gan));

const relDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d / n);
};

describe('projecting G(z*) of the trained model', () => {
  it('should recover the image within a small pixel error and z close to z* in most restarts', async () => {
    const n = 4;
    const stars = latentVectors(model, n, 2024);
    const star = (k: number) => stars.subarray(k * model.zDim, (k + 1) * model.zDim);
    const targets = Array.from({ length: n }, (_, k) => generateImages(gan.G, model, star(k), null));
    const results = await projectImages(nets, targets, { steps: 300, restarts: 4, seed: 1 });
    let close = 0;
    let runs = 0;
    for (const [k, r] of results.entries()) {
      expect(r.pixelError).toBeLessThan(0.03); // RMSE on the [0, 1] scale
      expect(relDistance(r.z, star(k))).toBeLessThan(0.2);
      for (const run of r.runs) {
        runs++;
        if (relDistance(run.z, star(k)) < 0.2) close++;
      }
    }
    console.log(
      `G(z*) projection: pixel RMSE ${results.map((r) => r.pixelError.toFixed(4)).join(', ')}; ${close}/${runs} restarts within 20% of z*`,
    );
    expect(close / runs).toBeGreaterThan(0.5);
  });

  it('should be deterministic for a seed, the same in chunks as in one go, and leave no tensors', () => {
    const target = generateImages(gan.G, model, latentVectors(model, 1, 5), null);
    const tensors = tf.memory().numTensors;
    const run = (chunk: number, seed: number) => {
      const job = Projection.begin(nets, target, { steps: 40, restarts: 2, seed, patience: 0 });
      const seen: number[] = [];
      while (!job.done) seen.push(job.step(chunk).step);
      const r = job.result();
      job.dispose();
      return { r, seen };
    };
    const a = run(40, 1);
    const b = run(7, 1);
    const c = run(40, 2);
    expect(a.seen).toEqual([40]);
    expect(b.seen).toEqual([7, 14, 21, 28, 35, 40]);
    expect(Array.from(b.r.z)).toEqual(Array.from(a.r.z));
    expect(b.r.loss).toBe(a.r.loss);
    expect(Array.from(c.r.runs[0].start)).not.toEqual(Array.from(a.r.runs[0].start));
    expect(a.r.historySteps).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
    expect(a.r.runs.map((x) => x.history.length)).toEqual([8, 8]);
    expect(a.r.frames.length).toBeGreaterThan(2);
    expect(a.r.frames.map((f) => f.step)).toEqual([...a.r.frames.map((f) => f.step)].sort((x, y) => x - y));
    expect(a.r.stopped).toBe('steps');
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('should give each image of a batch the result it gets alone', () => {
    const [a, b] = [latentVectors(model, 1, 31), latentVectors(model, 1, 32)].map((z) => generateImages(gan.G, model, z, null));
    const opts = { steps: 30, restarts: 2, seed: 4, patience: 0 };
    const alone = Projection.begin(nets, a, opts);
    alone.step(30);
    const both = Projection.begin(nets, [a, b], opts);
    both.step(30);
    const [ra, rb] = both.results();
    const ref = alone.result();
    for (let i = 0; i < model.zDim; i++) expect(ra.z[i]).toBeCloseTo(ref.z[i], 3);
    expect(ra.pixelError).toBeCloseTo(ref.pixelError, 4);
    expect(rb.target).toEqual(b);
    expect(both.progress().targets).toBe(2);
    expect(() => both.result(2)).toThrow(/There is no target 2: this projection has 2/);
    alone.dispose();
    both.dispose();
  });

  it('should stop early once the loss stops improving, and keep the best so far when cancelled', async () => {
    const target = generateImages(gan.G, model, latentVectors(model, 1, 6), null);
    const tensors = tf.memory().numTensors;
    const early = await projectImage(nets, target, { steps: 2000, restarts: 2, patience: 20, tolerance: 0.05 });
    expect(early.stopped).toBe('converged');
    expect(early.steps).toBeLessThan(2000);
    const job = Projection.begin(nets, target, { steps: 500, restarts: 2 });
    job.step(15);
    job.cancel();
    expect(job.progress()).toMatchObject({ step: 15, done: true, stopped: 'cancelled' });
    expect(job.result().steps).toBe(15);
    const controller = new AbortController();
    const progress: number[] = [];
    await expect(
      projectImage(
        nets,
        target,
        { steps: 500 },
        { signal: controller.signal, onProgress: (p) => (progress.push(p.step), p.step >= 20 && controller.abort()) },
      ),
    ).rejects.toThrow(/cancelled/);
    expect(progress).toEqual([10, 20]);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('should refuse wrong-sized targets and bad options with one-line reasons', () => {
    expect(() => Projection.begin(nets, new Float32Array(10))).toThrow(/target has 10 values; this model's images have 28×28×1 = 784/);
    const t = new Float32Array(784);
    expect(() => Projection.begin(nets, t, { steps: 0 })).toThrow(/--steps must be an integer/);
    expect(() => Projection.begin(nets, t, { restarts: 100 })).toThrow(/--restarts must be an integer in 1..64/);
    expect(() => Projection.begin(nets, t, { classIndex: 3 })).toThrow(/This model has no classes/);
    expect(() => Projection.begin(nets, t, { weights: { pixel: -1 } })).toThrow(/Loss weight pixel must be >= 0/);
  });
});

/** The project's quality classifier (ganvas-cnn-v1) trained on the training split only. */
async function trainClassifier(images: Uint8Array, labels: Uint8Array): Promise<FdClassifier> {
  const pixels = 28 * 28;
  const cache = {
    readBatch(indices: ArrayLike<number>) {
      const out = new Float32Array(indices.length * pixels);
      for (let i = 0; i < indices.length; i++)
        for (let p = 0; p < pixels; p++) out[i * pixels + p] = images[indices[i] * pixels + p] / 127.5 - 1;
      return { images: out, labels: Int32Array.from(indices, (i) => labels[i]) };
    },
  } as unknown as DatasetCache;
  const clf = FdClassifier.create(
    {
      classifier: FD_CLASSIFIER_NAME,
      featureDim: 64,
      size: 28,
      channels: 1,
      numClasses: 10,
      trainSteps: 300,
      batchSize: 64,
      trainImages: MNIST_TRAIN_COUNT,
      testImages: 0,
      testAccuracy: 0,
      seed: 3,
      createdAt: '',
    },
    3,
  );
  await clf.train(
    cache,
    Array.from({ length: MNIST_TRAIN_COUNT }, (_, i) => i),
    labels,
    { seed: 4 },
  );
  return clf;
}

function classify(clf: FdClassifier, images: Float32Array, n: number): number[] {
  const logits = tf.tidy(() => clf.logits(tf.tensor4d(images, [n, 28, 28, 1])));
  const v = logits.dataSync();
  logits.dispose();
  return Array.from({ length: n }, (_, i) => {
    let best = 0;
    for (let c = 1; c < 10; c++) if (v[i * 10 + c] > v[i * 10 + best]) best = c;
    return best;
  });
}

describe('projecting held-out real MNIST digits', () => {
  it('should reconstruct most test digits as the same digit according to the quality classifier', async () => {
    const mnist = loadBuiltin('mnist');
    const clf = await trainClassifier(mnist.images, mnist.labels);
    try {
      // Two test-set digits of each class, seeded: never seen by G, D or the classifier.
      const rng = new Rng(11);
      const picked: number[] = [];
      for (let c = 0; c < 10; c++) {
        let found = 0;
        while (found < 2) {
          const i = MNIST_TRAIN_COUNT + rng.int(mnist.count - MNIST_TRAIN_COUNT);
          if (mnist.labels[i] === c && !picked.includes(i)) {
            picked.push(i);
            found++;
          }
        }
      }
      const recon = new Float32Array(picked.length * 784);
      const originals = new Float32Array(picked.length * 784);
      const errors: number[] = [];
      for (const [k, i] of picked.entries()) {
        const target = await targetFromPixels(
          { data: mnist.images.subarray(i * 784, (i + 1) * 784), width: 28, height: 28, channels: 1 },
          model,
        );
        originals.set(target, k * 784);
        const r = await projectImage(nets, target, { steps: 200, restarts: 3, seed: k });
        recon.set(r.image, k * 784);
        errors.push(r.pixelError);
      }
      const truth = picked.map((i) => mnist.labels[i]);
      const onOriginals = classify(clf, originals, picked.length);
      const onRecon = classify(clf, recon, picked.length);
      const rate = onRecon.filter((c, k) => c === truth[k]).length / picked.length;
      const originalRate = onOriginals.filter((c, k) => c === truth[k]).length / picked.length;
      const meanError = errors.reduce((a, b) => a + b, 0) / errors.length;
      console.log(
        `held-out MNIST: reconstruction classified as its digit ${(rate * 100).toFixed(0)}% ` +
          `(originals ${(originalRate * 100).toFixed(0)}%), mean pixel RMSE ${meanError.toFixed(3)}`,
      );
      expect(originalRate).toBeGreaterThanOrEqual(0.8); // the classifier itself (300 steps) is right on 18 of these 20
      expect(rate).toBeGreaterThanOrEqual(0.6);
    } finally {
      clf.dispose();
    }
  }, 600_000); // a safety net for busy machines, not a speed target (that is `npm run bench`)
});

describe('projection inputs and outputs', () => {
  it('should prepare image files and odd-sized pixels like a dataset import', async () => {
    // A 60x40 RGBA picture: white square on transparent background, centred.
    const w = 60;
    const h = 40;
    const rgba = new Uint8Array(w * h * 4);
    for (let y = 10; y < 30; y++) for (let x = 20; x < 40; x++) rgba.set([255, 255, 255, 255], (y * w + x) * 4);
    const png = await sharp(Buffer.from(rgba), { raw: { width: w, height: h, channels: 4 } })
      .png()
      .toBuffer();
    const fromFile = await targetFromImageFile(png, model);
    const fromPixels = await targetFromPixels({ data: rgba, width: w, height: h, channels: 4 }, model);
    expect(fromFile.length).toBe(784);
    expect(Array.from(fromPixels)).toEqual(Array.from(fromFile));
    expect(fromFile[0]).toBe(-1); // transparent -> black -> -1
    expect(fromFile[14 * 28 + 14]).toBeCloseTo(1, 1); // the square's centre is white
    await expect(targetFromImageFile(new Uint8Array([1, 2, 3]), model)).rejects.toThrow(/Cannot use this image: not an image/);
    await expect(targetFromImageFile(new Uint8Array(0), model)).rejects.toThrow(/empty file/);
    await expect(targetFromPixels({ data: new Float32Array(784).fill(2), width: 28, height: 28, channels: 1 }, model)).rejects.toThrow(
      /must lie in \[-1, 1\]; value 0 is 2/,
    );
    await expect(targetFromPixels({ data: new Float32Array(100), width: 10, height: 10, channels: 1 }, model)).rejects.toThrow(
      /Float pixels must already be 28×28×1/,
    );
  });

  it('should search every class of a conditional model unless the class is given', () => {
    const cond = defaultModelConfig({ ngf: 4, ndf: 4, zDim: 8, numClasses: 3 });
    const g = buildGan(cond, { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 1 });
    try {
      const target = generateImages(g.G, cond, latentVectors(cond, 1, 1), [2]);
      const c = { G: g.G, D: g.D, model: cond };
      const all = Projection.begin(c, target, { steps: 3, restarts: 2 });
      all.step(3);
      expect(all.result().runs.map((r) => [r.restart, r.label])).toEqual([
        [0, 0],
        [0, 1],
        [0, 2],
        [1, 0],
        [1, 1],
        [1, 2],
      ]);
      all.dispose();
      const known = Projection.begin(c, target, { steps: 3, restarts: 2, classIndex: 2 });
      known.step(3);
      const r = known.result();
      expect(r.runs.map((x) => x.label)).toEqual([2, 2]);
      expect(r.label).toBe(2);
      known.dispose();
    } finally {
      disposeGan(g);
    }
  });

  it('should animate the optimisation as target | reconstruction frames that export as a GIF', async () => {
    const target = generateImages(gan.G, model, latentVectors(model, 1, 8), null);
    const r = await projectImage(nets, target, { steps: 60, restarts: 2, maxFrames: 10 });
    const frames = projectionAnimation(r, model, 4, 3);
    expect(frames).toHaveLength(r.frames.length + 3);
    const w = (2 * 28 + 3 * 2) * 4;
    const h = (28 + 2 * 2) * 4;
    expect(frames.map((f) => [f.width, f.height])).toEqual(frames.map(() => [w, h]));
    const out = path.join(tempDir(), 'projection.gif');
    await encodeGif(frames, { out, fps: 8, width: w, height: h });
    const gif = new omggif.GifReader(new Uint8Array(fs.readFileSync(out)));
    expect([gif.numFrames(), gif.width, gif.height]).toEqual([frames.length, w, h]);
  });
});
