/**
 * The new architectures train through the existing Trainer (tiny widths, a few steps on a small
 * MNIST subset, wasm as in the app): finite losses, no leaked tensors, checkpoints that resume,
 * and conditional training with either fake-label scheme.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { loadBuiltin } from '../../src-main/engine/data/builtin';
import { createDatasetCacheWriter } from '../../src-main/engine/data/cache-writer';
import { greyToRgb, resizeGreyBatch } from '../../src-main/engine/data/resize';
import { architectureFor, defaultModelConfig, type ArchitectureFamily } from '../../src-main/engine/models/presets';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { Project } from '../../src-main/engine/project/project';
import { PROJECT_SCHEMA_VERSION } from '../../src-main/engine/project/schema';
import { importModel, type ImportSource } from '../../src-main/engine/import/import-model';
import { buildGan, disposeGan, ganState } from '../../src-main/engine/models/gan';
import { latentBatch, oneHot } from '../../src-main/engine/sampling/noise';
import { trainStep } from '../../src-main/engine/train/step';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { ArchitectureOptions, BackendReport, ModelConfig, TrainHyper } from '../../src-main/shared/types';
import { tempDir } from '../helpers/projects';

const COUNT = 24;
let backend: BackendReport;
const never = { stopRequested: () => false, whilePaused: async () => undefined };

beforeAll(async () => {
  backend = await selectBackend('wasm');
});

/** A project folder with the first COUNT MNIST digits at the model's size and the given model. */
async function project(model: ModelConfig, train: Partial<TrainHyper> = {}): Promise<Project> {
  const dir = path.join(tempDir('ganvas-variant-'), 'project');
  const mnist = loadBuiltin('mnist');
  const grey = await resizeGreyBatch(mnist.images.subarray(0, COUNT * 28 * 28), COUNT, 28, model.size);
  const pixels = model.channels === 3 ? greyToRgb(grey) : grey;
  const bytes = model.size * model.size * model.channels;
  fs.mkdirSync(dir, { recursive: true });
  const writer = await createDatasetCacheWriter(path.join(dir, 'dataset.bin'), {
    size: model.size,
    channels: model.channels,
    classes: mnist.classes,
  });
  for (let i = 0; i < COUNT; i++) await writer.append(pixels.subarray(i * bytes, (i + 1) * bytes), mnist.labels[i]);
  await writer.finish();
  Project.write(dir, {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: 'variant',
    createdAt: new Date().toISOString(),
    model,
    train: { ...DEFAULT_HYPER, batchSize: 4, logEvery: 1, sampleEvery: 1000, checkpointEvery: 1000, seed: 9, ...train },
    dataset: { source: { kind: 'mnist' }, count: COUNT, size: model.size, channels: model.channels, classes: mnist.classes },
  });
  return Project.open(dir);
}

function tiny(family: ArchitectureFamily, over: Partial<ModelConfig>, options: ArchitectureOptions = {}): ModelConfig {
  const cfg = defaultModelConfig({ zDim: 8, ngf: 4, ndf: 4, ...over });
  return { ...cfg, arch: architectureFor(family, cfg, options) };
}

const cases: [string, ModelConfig, Partial<TrainHyper>][] = [
  ['pytorch-gan-mnist (upsample + conv, Dropout2d, BatchNorm eps 0.8)', tiny('pytorch-gan', { size: 32, ndf: 2 }), {}],
  [
    'montage128 (GELU, 8x8 kernels, [0, 1] pixels, the book’s batch of 1)',
    tiny('montage', { size: 128, channels: 3 }),
    { batchSize: 1, learningRate: 1e-4, beta1: 0.9 },
  ],
  ['mlp-mnist (fully connected baseline)', tiny('mlp', { ngf: 8, ndf: 8 }), {}],
  [
    'paper net with conv biases, no BatchNorm and global average pooling',
    tiny('paper', {}, { convBias: true, gBatchNorm: false, dBatchNorm: false, dGlobalPool: true }),
    {},
  ],
];

describe('training the new architectures', () => {
  it.each(cases)('should train %s: finite losses, no leaked tensors, checkpoints that resume', async (_name, model, train) => {
    const opened = await project(model, train);
    const dir = opened.dir;
    const trainer = Trainer.open(opened, backend);
    await trainer.runStep(); // first step may create kernels' lazily allocated state
    const before = tf.memory().numTensors;
    const w = trainer.gan.G.params.get('g1.w')!.dataSync().slice();
    for (let i = 0; i < 3; i++) {
      const row = await trainer.runStep();
      for (const v of [row.dLoss, row.gLoss]) expect(Number.isFinite(v)).toBe(true);
      for (const v of [row.dReal, row.dFake]) expect(v > 0 && v < 1).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(trainer.gan.G.params.get('g1.w')!.dataSync()).not.toEqual(w);
    await trainer.run({ untilStep: 5 }, never); // grid + checkpoint at step 5
    const next = await trainer.runStep();
    trainer.dispose();
    expect(fs.existsSync(path.join(dir, 'samples', 'step-00000005.png'))).toBe(true);
    const resumed = Trainer.open(Project.open(dir), backend);
    expect(resumed.step).toBe(5);
    const again = await resumed.runStep();
    resumed.dispose();
    expect(again.dLoss).toBeCloseTo(next.dLoss, 4); // dropout masks and noise are derived from (seed, step)
    expect(again.gLoss).toBeCloseTo(next.gLoss, 4);
  });
});

describe('conditional label schemes', () => {
  it('should label the fakes with the real batch’s labels by default and with random ones when asked, recorded in project.json', async () => {
    const model = tiny('paper', { numClasses: 10 });
    const rows = [];
    for (const fakeLabels of [undefined, 'real', 'random'] as const) {
      const opened = await project(model, fakeLabels ? { fakeLabels } : {});
      expect(Project.open(opened.dir).config.train.fakeLabels).toBe(fakeLabels);
      const trainer = Trainer.open(opened, backend);
      await trainer.runStep();
      const before = tf.memory().numTensors;
      const row = await trainer.runStep();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(row.dLoss) && Number.isFinite(row.gLoss)).toBe(true);
      rows.push(row);
      trainer.dispose();
    }
    expect(rows[1].dLoss).toBe(rows[0].dLoss); // 'real' is today's scheme
    expect(rows[2].dLoss).not.toBe(rows[0].dLoss); // other labels on the fakes, another step
  });
});

describe('imported models', () => {
  const FIXTURES = path.join(__dirname, '../fixtures/import');
  const torch = (f: string): ImportSource => ({ kind: 'torch', name: f, bytes: new Uint8Array(fs.readFileSync(path.join(FIXTURES, f))) });
  const tfjs = (d: string): ImportSource => ({
    kind: 'tfjs',
    name: d,
    modelJson: fs.readFileSync(path.join(FIXTURES, d, 'model.json'), 'utf8'),
    shards: new Map([['weights.bin', new Uint8Array(fs.readFileSync(path.join(FIXTURES, d, 'weights.bin')))]]),
  });

  it.each([
    ['dcgan', () => importModel({ generator: torch('dcgan-netG.pth'), discriminator: torch('dcgan-netD.pth') })],
    ['pytorch-gan', () => importModel({ generator: torch('pytorch-gan-netG.pth'), discriminator: torch('pytorch-gan-netD.pth') })],
    ['montage', () => importModel({ generator: torch('montage-netG.pth') })],
    ['tfjs mnist-acgan', () => importModel({ generator: tfjs('acgan-generator'), discriminator: tfjs('acgan-discriminator') })],
  ])('should keep training the imported %s: finite losses, no leaked tensors', (_name, load) => {
    const imported = load();
    const { model } = imported;
    const gan = buildGan(model, { ...DEFAULT_HYPER, ...imported.train });
    const state = ganState(gan);
    tf.tidy(() => {
      for (const t of imported.tensors) state.get(t.name)!.assign(tf.tensor(t.values, t.shape));
    });
    const batch = Math.max(2, Math.min(4, imported.train.batchSize ?? 4));
    const step = (i: number) => {
      const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1, 'float32', i) as tf.Tensor4D;
      const onehot = model.numClasses
        ? oneHot(
            [...Array(batch).keys()].map((k) => k % model.numClasses),
            model.numClasses,
          )
        : null;
      const z = latentBatch(model, batch, i);
      const m = trainStep(gan, { real, onehot, z, dropoutSeed: i });
      tf.dispose([real, z, ...(onehot ? [onehot] : [])]);
      return m;
    };
    step(1);
    const before = tf.memory().numTensors;
    for (let i = 2; i < 4; i++) {
      const m = step(i);
      expect(Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeGan(gan);
  });
});
