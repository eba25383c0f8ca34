/**
 * The engine on the native TensorFlow backend (tfjs-node), where it loads: .ci/run builds it
 * against the TensorFlow of a local package mirror when one exists. Elsewhere every test here is
 * skipped and its name says why. The hand-written step runs TensorFlow's own fused BatchNorm
 * kernels (backend/kernels/fused_tf.ts), so it is checked against the tape reference on cpu, and a
 * short real training run checks the loop, memory and resume on this backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { referenceTrainStep, trainStep } from '../../src-main/engine/train/step';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport } from '../../src-main/shared/types';
import { tinyMnistProject } from '../helpers/projects';
import { compareRuns, HYPER, smallModel, stepInputs, trainRun } from '../helpers/train-compare';

/** Why the tensorflow backend cannot run here, or null. */
async function unavailable(): Promise<string | null> {
  try {
    await selectBackend('tensorflow');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
const missing = await unavailable();
const never = { stopRequested: () => false, whilePaused: async () => undefined };

describe.skipIf(missing !== null)(`on the tensorflow backend${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let backend: BackendReport;
  beforeAll(async () => {
    backend = await selectBackend('tensorflow');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('should match the tape reference step on cpu (hand-written step, fused TensorFlow kernels)', async () => {
    for (const model of [smallModel(), smallModel({ numClasses: 10, size: 32, channels: 3 })]) {
      await selectBackend('cpu');
      const ref = trainRun(model, referenceTrainStep, 2);
      await selectBackend('tensorflow');
      const { worst, where } = compareRuns(trainRun(model, trainStep, 2), ref);
      expect(worst, where).toBeLessThan(1e-5);
    }
  });

  it('should leave tf.memory().numTensors unchanged after a step', () => {
    const model = smallModel({ numClasses: 10 });
    const gan = buildGan(model, HYPER);
    const batch = stepInputs(model, 0);
    trainStep(gan, batch);
    const before = tf.memory().numTensors;
    trainStep(gan, batch);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([batch.real, batch.z, batch.onehot!]);
    disposeGan(gan);
  });

  it('should train a real MNIST project, checkpoint, and resume to the same next losses', async () => {
    const a = await tinyMnistProject();
    const b = await tinyMnistProject();
    const straight = Trainer.open(Project.open(a), backend);
    const status = await straight.run({ untilStep: 6 }, never);
    expect(status.step).toBe(6);
    const expected = [await straight.runStep(), await straight.runStep()];
    straight.dispose();
    for (const row of expected) {
      expect(row.backend).toBe('tensorflow');
      for (const v of [row.dLoss, row.gLoss]) expect(Number.isFinite(v)).toBe(true);
      expect(row.dReal > 0 && row.dReal < 1).toBe(true);
    }
    const first = Trainer.open(Project.open(b), backend);
    await first.run({ untilStep: 6 }, never);
    first.dispose();
    const resumed = Trainer.open(Project.open(b), backend);
    const got = [await resumed.runStep(), await resumed.runStep()];
    resumed.dispose();
    got.forEach((row, i) => {
      expect(row.dLoss).toBeCloseTo(expected[i].dLoss, 5);
      expect(row.gLoss).toBeCloseTo(expected[i].gLoss, 5);
    });
  });
});
