/**
 * The hand-written training step (train/backprop) against the tape-differentiated reference
 * (referenceTrainStep over models/network.ts): same losses, weights, Adam state and BatchNorm
 * moving statistics after several steps, unconditional and conditional, on cpu and wasm.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, ganState, type Gan } from '../../src-main/engine/models/gan';
import { referenceTrainStep, trainStep, type StepMetrics } from '../../src-main/engine/train/step';
import type { ModelConfig } from '../../src-main/shared/types';
import { randomData, relDiff } from './kernels-helpers';

const HYPER = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 7 };
const BATCH = 4;

interface Run {
  metrics: StepMetrics[];
  state: Map<string, Float32Array>;
}

function inputs(model: ModelConfig, step: number) {
  const real = tf.tensor4d(randomData(BATCH * model.size * model.size * model.channels, 100 + step), [
    BATCH,
    model.size,
    model.size,
    model.channels,
  ]);
  const z = tf.tensor2d(randomData(BATCH * model.zDim, 200 + step), [BATCH, model.zDim]);
  const onehot = model.numClasses > 0 ? tf.oneHot(tf.tensor1d([0, 1, 2, 3].map((i) => (i + step) % model.numClasses), 'int32'), model.numClasses).toFloat() as tf.Tensor2D : null;
  return { real, z, onehot };
}

function train(model: ModelConfig, step: (gan: Gan, i: ReturnType<typeof inputs>) => StepMetrics, steps: number): Run {
  const gan = buildGan(model, HYPER);
  const metrics: StepMetrics[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = inputs(model, s);
    metrics.push(step(gan, batch));
    tf.dispose([batch.real, batch.z, ...(batch.onehot ? [batch.onehot] : [])]);
  }
  const state = new Map([...ganState(gan)].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
  disposeGan(gan);
  return { metrics, state };
}

/** Worst relative difference over every state tensor and every metric. */
function compare(a: Run, b: Run): { worst: number; where: string } {
  let worst = 0;
  let where = '';
  for (const [k, v] of a.state) {
    const d = relDiff(v, b.state.get(k)!);
    if (d > worst) [worst, where] = [d, k];
  }
  a.metrics.forEach((m, i) => {
    for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) {
      const d = relDiff(new Float32Array([m[key]]), new Float32Array([b.metrics[i][key]]));
      if (d > worst) [worst, where] = [d, `step ${i} ${key}`];
    }
  });
  return { worst, where };
}

const small = (o: Partial<ModelConfig> = {}) => defaultModelConfig({ ngf: 4, ndf: 4, zDim: 8, ...o });

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('hand-written backprop step matches the tape reference', () => {
  it.each([
    ['MNIST 28x28 grey', small()],
    ['conditional 28x28', small({ numClasses: 10 })],
    ['32x32 colour', small({ size: 32, channels: 3 })],
  ])('on cpu: %s', async (_name, model) => {
    await selectBackend('cpu');
    const ref = train(model, referenceTrainStep, 3);
    const hand = train(model, trainStep, 3);
    const { worst, where } = compare(hand, ref);
    console.log(_name ?? "", worst, where);
    expect(worst, where).toBeLessThan(1e-4);
  });

  it('on wasm (its kernels) against the reference on cpu', async () => {
    const model = small({ numClasses: 10 });
    await selectBackend('cpu');
    const ref = train(model, referenceTrainStep, 3);
    await selectBackend('wasm');
    const hand = train(model, trainStep, 3);
    const { worst, where } = compare(hand, ref);
    console.log('wasm', worst, where);
    expect(worst, where).toBeLessThan(1e-4);
  });

  it('leaves tf.memory().numTensors unchanged', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend);
      const model = small({ numClasses: 10 });
      const gan = buildGan(model, HYPER);
      const batch = inputs(model, 0);
      trainStep(gan, batch);
      const before = tf.memory().numTensors;
      trainStep(gan, batch);
      trainStep(gan, batch);
      expect(tf.memory().numTensors, backend).toBe(before);
      tf.dispose([batch.real, batch.z, batch.onehot!]);
      disposeGan(gan);
    }
  });
});
