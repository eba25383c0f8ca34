/**
 * Architectures as data: the sources' other nets with the PyTorch originals' parameter counts
 * (computed with Debian's python3-torch 1.13.1 from the original module definitions), the
 * options they discuss, validation, and the new ops (GELU, dropout, upsampling, PyTorch padding).
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import {
  allPresetInfos,
  architectureFor,
  defaultModelConfig,
  discriminatorSummary,
  generatorSummary,
  presetInfos,
  presetModel,
  validateModelConfig,
  withArchitecture,
} from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, ganState } from '../../src-main/engine/models/gan';
import { dropout, gelu, upsampleNearest } from '../../src-main/engine/models/layer-ops';
import { discriminate, generate } from '../../src-main/engine/models/network';
import { parseProjectConfig } from '../../src-main/engine/project/schema';
import { latentBatch, oneHot } from '../../src-main/engine/sampling/noise';
import type { ModelConfig } from '../../src-main/shared/types';

const hyper = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 3 };
const count = (vars: Iterable<tf.Variable>) => [...vars].reduce((n, v) => n + v.size, 0);

/** sum(p.numel() for p in net.parameters()) of the originals, torch 1.13.1. */
const PYTORCH_COUNTS: Record<string, [number, number]> = {
  paper64: [3_576_704, 2_765_568], // pytorch/examples dcgan netG / netD (nz 100, ngf = ndf = 64, nc 3)
  'pytorch-gan-mnist': [1_049_985, 98_113], // PyTorch-GAN dcgan.py (latent 100, img 32, 1 channel)
  montage128: [4_330_816, 4_294_448], // Make Your First GAN With PyTorch, 128x128 CelebA GAN (GELU)
  'mlp-mnist': [1_510_032, 533_505], // PyTorch-GAN gan.py (latent 100, 28x28x1)
};

describe('architecture presets', () => {
  it.each(Object.entries(PYTORCH_COUNTS))('should give %s the PyTorch original’s parameter counts', (id, [g, d]) => {
    const p = allPresetInfos().find((x) => x.id === id)!;
    expect(p.generator.trainableParams).toBe(g);
    expect(p.discriminator.trainableParams).toBe(d);
  });

  it('should allocate exactly the counted variables for every new preset', async () => {
    await tf.setBackend('cpu');
    for (const p of allPresetInfos().filter((x) => x.model.arch)) {
      const gan = buildGan(p.model, hyper);
      expect([count(gan.G.params.values()), count(gan.D.params.values())]).toEqual([
        p.generator.trainableParams,
        p.discriminator.trainableParams,
      ]);
      disposeGan(gan);
    }
  });

  it('should keep offering the paper presets and add the sources’ other nets with their settings', () => {
    expect(presetInfos().map((p) => p.id)).toEqual(['mnist', 'small32', 'paper64', 'large128']);
    expect(allPresetInfos().map((p) => p.id)).toEqual([
      'mnist',
      'small32',
      'paper64',
      'large128',
      'pytorch-gan-mnist',
      'montage128',
      'mlp-mnist',
    ]);
    const montage = presetModel('montage128');
    expect(montage.train).toEqual({ learningRate: 1e-4, beta1: 0.9, beta2: 0.999, batchSize: 1 });
    expect(montage.model.arch!.generator.at(-1)).toMatchObject({ activation: 'sigmoid', unitPixels: true, padding: 1 });
    const layers = generatorSummary(montage.model).layers;
    expect(layers.map((l) => l.outputShape[0])).toEqual([11, 28, 62, 128]);
    expect(discriminatorSummary(montage.model).layers.map((l) => l.outputShape[0])).toEqual([61, 27, 10, 1]);
    expect(generatorSummary(presetModel('pytorch-gan-mnist').model).layers.map((l) => l.kind)).toEqual([
      'project +bias + BN + none',
      'up2 + conv 3x3/1 +bias + BN + lrelu',
      'up2 + conv 3x3/1 +bias + BN + lrelu',
      'conv 3x3/1 +bias + tanh',
    ]);
    expect(discriminatorSummary(presetModel('pytorch-gan-mnist').model).layers[1].kind).toBe('conv 3x3/2 +bias + lrelu + drop2d 0.25 + BN');
    expect(() => presetModel('nope')).toThrow(/Unknown preset 'nope'/);
    expect(() => architectureFor('pytorch-gan', defaultModelConfig({ size: 28 }))).toThrow(/divisible by 16.*use 32/);
  });

  it('should condition every family on labels (first layers widen by the classes)', () => {
    const { model } = presetModel('mlp-mnist', { numClasses: 10 });
    expect(model.arch!.generator[0].inChannels).toBe(110);
    expect(model.arch!.discriminator[0]).toMatchObject({ inChannels: 11, inSize: 28 });
    validateModelConfig(model);
  });
});

describe('architecture options', () => {
  const cfg = defaultModelConfig({ size: 64, channels: 3 });
  const params = (opts: Parameters<typeof architectureFor>[2]) => {
    const model = { ...cfg, arch: architectureFor('paper', cfg, opts) };
    return [generatorSummary(model).trainableParams, discriminatorSummary(model).trainableParams];
  };

  it('should add conv biases, drop BatchNorm per network and pool D before its head', () => {
    const [g, d] = params({});
    expect([g, d]).toEqual([3_576_704, 2_765_568]);
    expect(params({ convBias: true })).toEqual([g + 256 + 128 + 64 + 3, d + 64 + 128 + 256 + 512 + 1]);
    expect(params({ gBatchNorm: false })).toEqual([g - 2 * (512 + 256 + 128 + 64), d]);
    expect(params({ dBatchNorm: false })).toEqual([g, d - 2 * (128 + 256 + 512)]);
    expect(params({ dGlobalPool: true })).toEqual([g, d - 512 * 16 + 512]);
    const gap = architectureFor('paper', cfg, { dGlobalPool: true }).discriminator.at(-1)!;
    expect(gap).toMatchObject({ kind: 'linear', globalPool: true, inChannels: 512, outChannels: 1 });
  });

  it('should tell the wizard where each preset’s switches start and which do nothing there', () => {
    const options = Object.fromEntries(allPresetInfos().map((p) => [p.id, p.options]));
    expect(options.paper64).toEqual({
      defaults: { convBias: false, gBatchNorm: true, dBatchNorm: true, dGlobalPool: false },
      fixed: [],
    });
    expect(options['pytorch-gan-mnist'].defaults).toEqual({ convBias: true, gBatchNorm: true, dBatchNorm: true, dGlobalPool: false });
    // The MLP has no convolutions and no map before D's head; the montage net has BatchNorm in both.
    expect(options['mlp-mnist'].fixed).toEqual(expect.arrayContaining(['convBias', 'dGlobalPool']));
    expect(options.montage128.fixed).toEqual([]);
  });

  it('should train-forward a net with every option on', async () => {
    await tf.setBackend('cpu');
    const small = defaultModelConfig({ size: 32, channels: 3, ngf: 4, ndf: 4, zDim: 8 });
    const model = {
      ...small,
      arch: architectureFor('paper', small, { convBias: true, gBatchNorm: false, dBatchNorm: false, dGlobalPool: true }),
    };
    validateModelConfig(model);
    const gan = buildGan(model, hyper);
    const logits = tf.tidy(() =>
      discriminate(gan.D, generate(gan.G, latentBatch(model, 2, 1), null, { training: true }), null, { training: true }),
    );
    expect(logits.shape).toEqual([2]);
    expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
    logits.dispose();
    disposeGan(gan);
  });
});

describe('stored architectures', () => {
  const project = (model: unknown) =>
    JSON.stringify({
      schemaVersion: 1,
      name: 'p',
      createdAt: '2026-01-01T00:00:00Z',
      model,
      train: {
        learningRate: 2e-4,
        beta1: 0.5,
        beta2: 0.999,
        batchSize: 64,
        logEvery: 5,
        sampleEvery: 100,
        checkpointEvery: 200,
        keepLast: 5,
        keepEvery: 5,
        seed: 1,
      },
      dataset: { source: { kind: 'mnist' }, count: 70000, size: 28, channels: 1, classes: [] },
    });

  it('should open an old project.json (no arch) and give it the same net as the stored description', async () => {
    await tf.setBackend('cpu');
    const old = parseProjectConfig(
      project({ size: 28, channels: 1, zDim: 16, ngf: 8, ndf: 8, numClasses: 0, latent: 'normal' }),
      'old.json',
    );
    expect(old.model.arch).toBeUndefined();
    const stored = parseProjectConfig(project(withArchitecture(old.model)), 'new.json');
    expect(stored.model.arch!.family).toBe('paper');
    const [a, b] = [old.model, stored.model].map((m) => buildGan(m, hyper));
    for (const [name, v] of ganState(a)) expect(ganState(b).get(name)!.dataSync()).toEqual(v.dataSync()); // same shapes, same seeded values
    disposeGan(a);
    disposeGan(b);
  });

  it('should refuse a damaged stored architecture with one line naming the problem', () => {
    const model = withArchitecture(defaultModelConfig({ ngf: 8, ndf: 8 })) as ModelConfig;
    model.arch!.generator[2] = { ...model.arch!.generator[2], inChannels: 99 };
    expect(() => parseProjectConfig(project(model), 'p.json')).toThrow(
      /^p\.json is not a valid Ganvas project: model\.arch: generator layer g2 expects 99 input channels but g1 gives 8$/,
    );
    const sized = withArchitecture(defaultModelConfig()) as ModelConfig;
    sized.arch!.discriminator[0] = { ...sized.arch!.discriminator[0], outSize: 13 };
    expect(() => parseProjectConfig(project(sized), 'p.json')).toThrow(/discriminator layer d1: a 28x28 input gives 14x14, not 13x13/);
    expect(() => parseProjectConfig(project({ ...sized, arch: { ...sized.arch, generator: [{ name: 'g0' }] } }), 'p.json')).toThrow(
      /model\.arch\.generator\.0/,
    );
  });
});

describe('new ops', () => {
  it('should compute exact GELU and its gradient Phi(x) + x phi(x)', async () => {
    await tf.setBackend('cpu');
    const xs = [-3, -1, -0.5, 0, 0.5, 1, 2.5];
    // Winitzki's approximation of erf (|error| < 2e-4), an independent check of tf.erf's use.
    const erf = (v: number) => Math.sign(v) * Math.sqrt(1 - Math.exp((-(v * v) * (4 / Math.PI + 0.147 * v * v)) / (1 + 0.147 * v * v)));
    const phiCdf = (v: number) => 0.5 * (1 + erf(v / Math.SQRT2));
    tf.tidy(() => {
      const x = tf.tensor4d(xs, [1, 1, 1, xs.length]);
      const y = gelu(x).dataSync();
      expect(y[5]).toBeCloseTo(0.8413447460685429, 6); // PyTorch: F.gelu(torch.tensor(1.))
      expect(y[1]).toBeCloseTo(-0.15865525393145707, 6);
      const g = tf
        .grad((t: tf.Tensor) => tf.sum(gelu(t as tf.Tensor4D)))(x)
        .dataSync();
      xs.forEach((v, i) => expect(g[i]).toBeCloseTo(phiCdf(v) + (v * Math.exp(-(v * v) / 2)) / Math.sqrt(2 * Math.PI), 3));
    });
  });

  it('should drop whole feature maps (Dropout2d) reproducibly, scale the rest, and pass gradients only through kept maps', async () => {
    await tf.setBackend('cpu');
    tf.tidy(() => {
      const x = tf.ones([4, 3, 3, 16]) as tf.Tensor4D;
      const a = dropout(x, 0.25, true, 11).dataSync();
      expect(dropout(x, 0.25, true, 11).dataSync()).toEqual(a);
      for (let b = 0; b < 4; b++) {
        for (let c = 0; c < 16; c++) {
          const map = [...Array(9).keys()].map((p) => a[(b * 9 + p) * 16 + c]);
          expect(new Set(map).size).toBe(1);
          expect(map[0] === 0 || Math.abs(map[0] - 1 / 0.75) < 1e-6).toBe(true);
        }
      }
      const g = tf
        .grad((t: tf.Tensor) => tf.sum(dropout(t as tf.Tensor4D, 0.25, true, 11)))(x)
        .dataSync();
      expect(Array.from(g)).toEqual(Array.from(a));
      const kept = Array.from(a).filter((v) => v > 0).length / a.length;
      expect(kept).toBeGreaterThan(0.5);
      expect(kept).toBeLessThan(1);
    });
  });

  it('should upsample like nn.Upsample(scale_factor=2) and send back the sum of each 2x2 block', async () => {
    await tf.setBackend('cpu');
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      expect(Array.from(upsampleNearest(x, 2).dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
      const w = tf.tensor4d([...Array(16).keys()], [1, 4, 4, 1]);
      const g = tf
        .grad((t: tf.Tensor) => tf.sum(tf.mul(upsampleNearest(t as tf.Tensor4D, 2), w)))(x)
        .dataSync();
      expect(Array.from(g)).toEqual([0 + 1 + 4 + 5, 2 + 3 + 6 + 7, 8 + 9 + 12 + 13, 10 + 11 + 14 + 15]);
    });
  });

  it('should give every variant gradients that match finite differences (GELU, padding, crops, upsampling, dropout off at eval)', async () => {
    await tf.setBackend('cpu');
    for (const family of ['pytorch-gan', 'montage', 'mlp'] as const) {
      const cfg = defaultModelConfig({
        size: family === 'montage' ? 128 : family === 'mlp' ? 28 : 32,
        channels: 1,
        ngf: 2,
        ndf: 2,
        zDim: 4,
        numClasses: 3,
      });
      const model = { ...cfg, arch: architectureFor(family, cfg) };
      const gan = buildGan(model, { ...hyper, seed: 5 });
      const z = latentBatch(model, 3, 2);
      const labels = oneHot([0, 2, 1], 3);
      // Loss through G and D at inference (no randomness), checked on G's first weight.
      const w = gan.G.params.get('g0.w')!;
      const loss = () => tf.sum(discriminate(gan.D, generate(gan.G, z, labels, { training: false }), labels, { training: false }));
      const { grads } = tf.variableGrads(loss as () => tf.Scalar, [w]);
      const analytic = grads[w.name].dataSync();
      const values = w.dataSync().slice();
      for (const i of [0, 5, values.length - 1]) {
        const at = (delta: number) => {
          const v = values.slice();
          v[i] += delta;
          w.assign(tf.tensor(v, w.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const h = 1e-2;
        const numeric = (at(h) - at(-h)) / (2 * h);
        expect(Math.abs(numeric - analytic[i])).toBeLessThan(2e-3 + 2e-2 * Math.abs(analytic[i]));
      }
      w.assign(tf.tensor(values, w.shape));
      tf.dispose([z, labels, ...Object.values(grads)]);
      disposeGan(gan);
    }
  });
});
