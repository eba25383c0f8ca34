/**
 * A/B of the two step implementations on the active backend, interleaved in one process (the
 * machine is shared, so only a ratio measured side by side means anything): the tape-differentiated
 * `referenceTrainStep` and the hand-written `trainStep`.
 *
 *   npx tsx test/bench/step-ab.ts [mnist|paper64] [rounds]    # GANVAS_BACKEND picks the backend
 */
import { pathToFileURL } from 'node:url';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { latentBatch } from '../../src-main/engine/sampling/noise';
import { referenceTrainStep, trainStep } from '../../src-main/engine/train/step';
import { DEFAULT_HYPER } from '../../src-main/engine/project/project';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface StepAB {
  preset: string;
  backend: string;
  batch: number;
  rounds: number;
  referenceMs: number;
  handMs: number;
  /** referenceMs / handMs, the median of the per-round ratios. */
  speedup: number;
}

export async function benchStepAB(presetId: string, rounds = 3, batch = 64): Promise<StepAB> {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1) as tf.Tensor4D;
  const time = (step: typeof trainStep, seed: number) => {
    const z = latentBatch(model, batch, seed);
    const t = performance.now();
    step(gan, { real, onehot: null, z });
    const ms = performance.now() - t;
    z.dispose();
    return ms;
  };
  try {
    time(referenceTrainStep, 0); // warm-up of both paths
    time(trainStep, 0);
    const ref: number[] = [];
    const hand: number[] = [];
    const ratios: number[] = [];
    for (let i = 1; i <= rounds; i++) {
      const [a, b] = i % 2 ? [time(referenceTrainStep, i), time(trainStep, i)] : [NaN, time(trainStep, i)];
      const r = Number.isNaN(a) ? time(referenceTrainStep, i) : a;
      ref.push(r);
      hand.push(b);
      ratios.push(r / b);
    }
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      preset: presetId,
      backend: tf.getBackend(),
      batch,
      rounds,
      referenceMs: Math.round(median(ref)),
      handMs: Math.round(median(hand)),
      speedup: round(median(ratios)),
    };
  } finally {
    real.dispose();
    disposeGan(gan);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  console.log(JSON.stringify(await benchStepAB(process.argv[2] ?? 'mnist', Number(process.argv[3] ?? 5))));
}
