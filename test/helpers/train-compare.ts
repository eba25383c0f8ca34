/**
 * Shared by the training-step tests: run N steps of a step function on a small GAN with
 * deterministic inputs, and compare two runs (every state tensor and every metric).
 */
import { tf } from '../../src-main/engine/backend/tf';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, ganState, type Gan } from '../../src-main/engine/models/gan';
import type { StepMetrics } from '../../src-main/engine/train/step';
import type { ModelConfig } from '../../src-main/shared/types';
import { randomData, relDiff } from '../unit/kernels-helpers';

export const HYPER = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 7 };
const BATCH = 4;

export interface Run {
  metrics: StepMetrics[];
  state: Map<string, Float32Array>;
}

/** Deterministic real images, z and (conditional) one-hot labels for step `step`. */
export function stepInputs(model: ModelConfig, step: number) {
  const real = tf.tensor4d(randomData(BATCH * model.size * model.size * model.channels, 100 + step), [
    BATCH,
    model.size,
    model.size,
    model.channels,
  ]);
  const z = tf.tensor2d(randomData(BATCH * model.zDim, 200 + step), [BATCH, model.zDim]);
  const onehot =
    model.numClasses > 0
      ? (tf
          .oneHot(
            tf.tensor1d(
              [0, 1, 2, 3].map((i) => (i + step) % model.numClasses),
              'int32',
            ),
            model.numClasses,
          )
          .toFloat() as tf.Tensor2D)
      : null;
  return { real, z, onehot };
}

/** Builds a GAN from HYPER's seed, runs `steps` steps of `step`, returns the metrics and the final state. */
export function trainRun(model: ModelConfig, step: (gan: Gan, i: ReturnType<typeof stepInputs>) => StepMetrics, steps: number): Run {
  const gan = buildGan(model, HYPER);
  const metrics: StepMetrics[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = stepInputs(model, s);
    metrics.push(step(gan, batch));
    tf.dispose([batch.real, batch.z, ...(batch.onehot ? [batch.onehot] : [])]);
  }
  const state = new Map([...ganState(gan)].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));
  disposeGan(gan);
  return { metrics, state };
}

/** Worst relative difference over every state tensor and every metric, and where. */
export function compareRuns(a: Run, b: Run): { worst: number; where: string } {
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

/** A small DCGAN (ngf = ndf = 4) for step comparisons. */
export const smallModel = (o: Partial<ModelConfig> = {}) => defaultModelConfig({ ngf: 4, ndf: 4, zDim: 8, ...o });
