/**
 * The hand-written training step (train/backprop) against the tape-differentiated reference
 * (referenceTrainStep over models/network.ts): same losses, weights, Adam state and BatchNorm
 * moving statistics after two steps, unconditional and conditional, on cpu and wasm
 * (test/unit/training-tensorflow.test.ts does the same on TensorFlow).
 * Tolerance: float32 sums in another order differ by ~1e-7 relative; Adam's first steps are
 * nearly sign(g) * lr, so a weight can differ by at most a few 1e-7 more.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { buildGan, disposeGan, type Gan } from '../../src-main/engine/models/gan';
import { architectureFor, type ArchitectureFamily } from '../../src-main/engine/models/presets';
import { supportsHandBackprop } from '../../src-main/engine/train/backprop/network';
import { referenceTrainStep, trainStep, type StepInput, type StepMetrics } from '../../src-main/engine/train/step';
import type { ArchitectureOptions, ModelConfig } from '../../src-main/shared/types';
import { compareRuns, HYPER, smallModel, stepInputs, trainRun } from '../helpers/train-compare';

const TOL = 1e-5;

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('hand-written backprop step matches the tape reference', () => {
  // Two steps: the second runs on Adam state and BatchNorm statistics the first one wrote.
  it.each([
    ['conditional 28x28 grey', smallModel({ numClasses: 10 })],
    ['32x32 colour', smallModel({ size: 32, channels: 3 })],
  ])('on cpu: %s', async (_name, model) => {
    await selectBackend('cpu');
    const ref = trainRun(model, referenceTrainStep, 2);
    const { worst, where } = compareRuns(trainRun(model, trainStep, 2), ref);
    expect(worst, where).toBeLessThan(TOL);
  });

  it.each([
    ['conditional 28x28 grey', smallModel({ numClasses: 10 })],
    // Wide enough that D's stride-2 convs, their gradients and G's transposed-conv phases run as
    // Winograd (kernels/winograd.ts).
    ['28x28 grey, ngf 32, ndf 16', smallModel({ ngf: 32, ndf: 16 })],
  ])('on wasm (its kernels) against the reference on cpu: %s', async (_name, model) => {
    await selectBackend('cpu');
    const ref = trainRun(model, referenceTrainStep, 2);
    await selectBackend('wasm');
    const { worst, where } = compareRuns(trainRun(model, trainStep, 2), ref);
    expect(worst, where).toBeLessThan(TOL);
  });

  it('leaves tf.memory().numTensors unchanged', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend);
      const model = smallModel({ numClasses: 10 });
      const gan = buildGan(model, HYPER);
      const batch = stepInputs(model, 0);
      trainStep(gan, batch);
      const before = tf.memory().numTensors;
      trainStep(gan, batch);
      trainStep(gan, batch);
      expect(tf.memory().numTensors, backend).toBe(before);
      tf.dispose([batch.real, batch.z, batch.onehot!]);
      disposeGan(gan);
    }
  });

  it('with random fake labels (the book’s CGAN): the fakes get their own labels in both paths', async () => {
    await selectBackend('cpu');
    const model = smallModel({ numClasses: 10 });
    // Fake labels: the real batch's rolled by 3 classes.
    const withFakeLabels = (step: (gan: Gan, input: StepInput) => StepMetrics) => (gan: Gan, input: ReturnType<typeof stepInputs>) => {
      const fakeOnehot = tf.tidy(
        () => tf.concat([input.onehot!.slice([0, 7], [-1, 3]), input.onehot!.slice([0, 0], [-1, 7])], 1) as tf.Tensor2D,
      );
      const metrics = step(gan, { ...input, fakeOnehot });
      fakeOnehot.dispose();
      return metrics;
    };
    const ref = trainRun(model, withFakeLabels(referenceTrainStep), 2);
    const { worst, where } = compareRuns(trainRun(model, withFakeLabels(trainStep), 2), ref);
    expect(worst, where).toBeLessThan(TOL);
    expect(compareRuns(trainRun(model, trainStep, 2), ref).worst).toBeGreaterThan(1e-3);
  });
});

describe('architecture variants train on the tape reference', () => {
  const tiny = (family: ArchitectureFamily, o: Partial<ModelConfig>, options: ArchitectureOptions = {}): ModelConfig => {
    const cfg = smallModel(o);
    return { ...cfg, arch: architectureFor(family, cfg, options) };
  };
  const supported = (model: ModelConfig) => {
    const gan = buildGan(model, HYPER);
    const both = supportsHandBackprop(gan.G) && supportsHandBackprop(gan.D);
    disposeGan(gan);
    return both;
  };

  it('hands the paper nets to the hand-written backprop, and no variant', async () => {
    await selectBackend('cpu');
    expect(supported(smallModel({ numClasses: 10 }))).toBe(true);
    expect(supported(tiny('paper', { size: 32, channels: 3 }))).toBe(true);
    for (const [name, model] of [
      ['pytorch-gan (upsample, BatchNorm eps 0.8, dropout, linear head)', tiny('pytorch-gan', { size: 32 })],
      ['montage (GELU, sigmoid, PyTorch paddings, linear layers)', tiny('montage', { size: 128, channels: 3 })],
      ['mlp', tiny('mlp', {})],
      ['paper with conv biases', tiny('paper', {}, { convBias: true })],
      ['paper with global pooling', tiny('paper', {}, { dGlobalPool: true })],
    ] as const) {
      expect(supported(model), name).toBe(false);
    }
  });

  it('trainStep on a variant is the reference step, with finite losses', async () => {
    await selectBackend('cpu');
    const model = tiny('pytorch-gan', { size: 32 });
    const ref = trainRun(model, referenceTrainStep, 2);
    const run = trainRun(model, trainStep, 2);
    expect(compareRuns(run, ref).worst).toBe(0);
    for (const m of run.metrics) for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
  });
});
