import { describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import {
  defaultModelConfig,
  discriminatorSummary,
  generatorSummary,
  presetInfos,
} from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { discriminate, generate } from '../../src-main/engine/models/network';
import { latentBatch, oneHot } from '../../src-main/engine/sampling/noise';

const hyper = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 3 };

function countTrainable(vars: Iterable<tf.Variable>): number {
  let n = 0;
  for (const v of vars) n += v.size;
  return n;
}

describe('architecture', () => {
  it('should match the PyTorch DCGAN reference parameter counts for the 64x64 paper net', () => {
    const cfg = defaultModelConfig({ size: 64, channels: 3, zDim: 100, ngf: 64, ndf: 64 });
    expect(generatorSummary(cfg).trainableParams).toBe(3_576_704);
    expect(discriminatorSummary(cfg).trainableParams).toBe(2_765_568);
  });

  it('should count exactly the trainable variables the real networks allocate', async () => {
    await tf.setBackend('cpu');
    for (const cfg of [
      defaultModelConfig({ size: 64, channels: 3 }),
      defaultModelConfig({ ngf: 16, ndf: 16, numClasses: 10 }),
    ]) {
      const gan = buildGan(cfg, hyper);
      expect(countTrainable(gan.G.params.values())).toBe(generatorSummary(cfg).trainableParams);
      expect(countTrainable(gan.D.params.values())).toBe(discriminatorSummary(cfg).trainableParams);
      disposeGan(gan);
    }
  });

  it('should follow the paper: BatchNorm everywhere except G output and D input, tanh out, leaky D', () => {
    const g = generatorSummary(defaultModelConfig({ size: 64, channels: 3 })).layers;
    const d = discriminatorSummary(defaultModelConfig({ size: 64, channels: 3 })).layers;
    expect(g.at(-1)!.kind).toMatch(/tanh$/);
    expect(g.at(-1)!.kind).not.toMatch(/BN/);
    expect(g.slice(0, -1).every((l) => /BN \+ relu$/.test(l.kind))).toBe(true);
    expect(d[0].kind).not.toMatch(/BN/);
    expect(d.slice(1, -1).every((l) => /BN \+ lrelu$/.test(l.kind))).toBe(true);
    expect(g.map((l) => l.outputShape[0])).toEqual([4, 8, 16, 32, 64]);
    expect(d.map((l) => l.outputShape[0])).toEqual([32, 16, 8, 4, 1]);
  });

  it('should list every preset with parameter counts', () => {
    const presets = presetInfos();
    expect(presets.map((p) => p.model.size)).toEqual([28, 32, 64, 128]);
    for (const p of presets) expect(p.generator.trainableParams).toBeGreaterThan(p.discriminator.trainableParams / 10);
  });
});

describe('forward passes', () => {
  it.each([28, 32, 64, 128] as const)('should map z to %ix%i images in [-1, 1] and images to one logit', async (size) => {
    await tf.setBackend('cpu');
    const cfg = defaultModelConfig({ size, channels: 3, ngf: 8, ndf: 8, zDim: 16 });
    const gan = buildGan(cfg, hyper);
    tf.tidy(() => {
      const images = generate(gan.G, latentBatch(cfg, 2, 1), null, { training: true });
      expect(images.shape).toEqual([2, size, size, 3]);
      const v = images.dataSync();
      expect(Math.max(...v)).toBeLessThanOrEqual(1);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-1);
      expect(discriminate(gan.D, images, null, { training: true }).shape).toEqual([2]);
    });
    disposeGan(gan);
  });

  it('should condition G and D on one-hot labels', async () => {
    await tf.setBackend('cpu');
    const cfg = defaultModelConfig({ ngf: 8, ndf: 8, zDim: 8, numClasses: 10 });
    const gan = buildGan(cfg, hyper);
    tf.tidy(() => {
      const z = latentBatch(cfg, 2, 5);
      const a = generate(gan.G, z, oneHot([1, 1], 10), { training: false });
      const b = generate(gan.G, z, oneHot([1, 7], 10), { training: false });
      const diff = tf.max(tf.abs(tf.sub(a, b)), [1, 2, 3]).dataSync();
      expect(diff[0]).toBe(0); // same z, same label
      expect(diff[1]).toBeGreaterThan(0); // same z, other label
    });
    disposeGan(gan);
  });

  it('should make an inference-mode sample independent of the rest of its batch', async () => {
    await tf.setBackend('cpu');
    const cfg = defaultModelConfig({ ngf: 8, ndf: 8, zDim: 8 });
    const gan = buildGan(cfg, hyper);
    tf.tidy(() => {
      const z = latentBatch(cfg, 4, 9);
      const all = generate(gan.G, z, null, { training: false });
      const first = generate(gan.G, tf.slice(z, [0, 0], [1, 8]), null, { training: false });
      expect(tf.max(tf.abs(tf.sub(tf.slice(all, [0, 0, 0, 0], [1, 28, 28, 1]), first))).dataSync()[0]).toBeLessThan(1e-5);
    });
    disposeGan(gan);
  });

  it('should initialise weights from N(0, 0.02), deterministically for a seed', async () => {
    await tf.setBackend('cpu');
    const cfg = defaultModelConfig();
    const a = buildGan(cfg, hyper);
    const b = buildGan(cfg, hyper);
    const w = a.G.params.get('g1.w')!.dataSync() as Float32Array;
    const mean = w.reduce((s, x) => s + x, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(std).toBeCloseTo(0.02, 3);
    expect(Array.from(b.G.params.get('g1.w')!.dataSync().slice(0, 50))).toEqual(Array.from(w.slice(0, 50)));
    disposeGan(a);
    disposeGan(b);
  });
});

describe('lifecycle', () => {
  it('should free every tensor of a GAN (weights, statistics, Adam state) on dispose', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    disposeGan(buildGan(defaultModelConfig({ ngf: 8, ndf: 8 }), hyper));
    expect(tf.memory().numTensors).toBe(before);
  });
});
