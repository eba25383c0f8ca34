/**
 * Training and inference throughput of the DCGAN presets on the active backend, measured in
 * this process: median ms per full step (D on real + fake, then G), images/s, G forward images/s.
 */
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { latentBatch, latentVectors } from '../../src-main/engine/sampling/noise';
import { trainStep } from '../../src-main/engine/train/step';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface PresetBench {
  preset: string;
  batch: number;
  msPerStep: number;
  trainImagesPerSec: number;
  generatorForwardImagesPerSec: number;
}

export async function benchPreset(presetId: string, batch = 64, steps = 3): Promise<PresetBench> {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1) as tf.Tensor4D;
  const times: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const z = latentBatch(model, batch, i);
    const t = performance.now();
    trainStep(gan, { real, onehot: null, z });
    if (i > 0) times.push(performance.now() - t); // step 0 warms up kernels and allocations
    z.dispose();
  }
  const zFlat = latentVectors(model, batch, 99);
  generateImages(gan.G, model, zFlat, null); // warm-up
  const t = performance.now();
  const reps = 3;
  for (let i = 0; i < reps; i++) generateImages(gan.G, model, zFlat, null);
  const forwardSeconds = (performance.now() - t) / 1000;
  real.dispose();
  disposeGan(gan);
  const ms = median(times);
  return {
    preset: presetId,
    batch,
    msPerStep: Math.round(ms),
    trainImagesPerSec: Math.round((batch / ms) * 1000 * 10) / 10,
    generatorForwardImagesPerSec: Math.round((reps * batch) / forwardSeconds),
  };
}

export async function benchTraining(opts: { quick?: boolean } = {}) {
  const backend = await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const mnist = await benchPreset('mnist', 64, opts.quick ? 2 : 5);
  const paper64 = await benchPreset('paper64', 64, opts.quick ? 1 : 2);
  return {
    backend: backend.active,
    mnist,
    paper64,
    mnistEpochMinutes: Math.round((60000 / mnist.trainImagesPerSec / 60) * 10) / 10,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
