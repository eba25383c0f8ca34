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
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { referenceTrainStep, trainStep } from '../../src-main/engine/train/step';
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

  it('on wasm (its kernels) against the reference on cpu', async () => {
    const model = smallModel({ numClasses: 10 });
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
});
