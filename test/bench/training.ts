/**
 * Training and inference throughput of the DCGAN presets, per backend (wasm, and the native
 * TensorFlow backend where tfjs-node loads), measured in this process:
 * - images/s per step (median; wall clock, and per CPU-second of this process: on a shared
 *   machine the CPU figure is the steadier one, and for single-threaded wasm it is per-core speed),
 *   G forward images/s;
 * - the top ops of one step with their share of its time (./profile.ts);
 * - before/after: the step as it was before the hand-written backprop and kernels, interleaved
 *   with today's (./step-ab.ts), so the speedup is a ratio measured side by side;
 * - PyTorch on the identical net, side by side (./peer.ts), where a PyTorch is available.
 * GANVAS_BACKEND=wasm|tensorflow limits the run to one backend.
 */
import { getBackendReport, selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { latentBatch, latentVectors } from '../../src-main/engine/sampling/noise';
import { trainStep } from '../../src-main/engine/train/step';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { comparePeer } from './peer';
import { profileStep } from './profile';
import { benchStepAB } from './step-ab';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface PresetBench {
  preset: string;
  batch: number;
  msPerStep: number;
  trainImagesPerSec: number;
  /** Images per CPU-second of this process (all its threads). */
  trainImagesPerCpuSec: number;
  generatorForwardImagesPerSec: number;
}

export async function benchPreset(presetId: string, batch = 64, steps = 3): Promise<PresetBench> {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1) as tf.Tensor4D;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const z = latentBatch(model, batch, i);
    const t = performance.now();
    const c = cpuMs();
    trainStep(gan, { real, onehot: null, z });
    if (i > 0) {
      // step 0 warms up kernels and allocations
      times.push(performance.now() - t);
      cpu.push(cpuMs() - c);
    }
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
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    preset: presetId,
    batch,
    msPerStep: Math.round(ms),
    trainImagesPerSec: r1((batch / ms) * 1000),
    trainImagesPerCpuSec: r1((batch / median(cpu)) * 1000),
    generatorForwardImagesPerSec: Math.round((reps * batch) / forwardSeconds),
  };
}

type Backend = 'wasm' | 'tensorflow';

async function benchBackend(backend: Backend, quick: boolean) {
  try {
    await selectBackend(backend);
  } catch (e) {
    return { skipped: (e as Error).message };
  }
  const mnist = await benchPreset('mnist', 64, quick ? 2 : 5);
  const paper64 = await benchPreset('paper64', 64, quick ? 1 : 2);
  const out: Record<string, unknown> = {
    backend: getBackendReport()?.active,
    mnist,
    paper64,
    mnistEpochMinutes: Math.round((60000 / mnist.trainImagesPerSec / 60) * 10) / 10,
    topOps: { mnist: await profileStep('mnist', 64, 1, 8), paper64: await profileStep('paper64', 64, 1, 8) },
    beforeAfter: {
      mnist: await benchStepAB('mnist', quick ? 1 : 5),
      ...(quick ? {} : { paper64: await benchStepAB('paper64', 3) }),
    },
  };
  // PyTorch side by side (slow on paper64: skipped in --quick).
  out.pytorch = {
    mnist: {
      threads1: await comparePeer('mnist', { threads: 1, rounds: quick ? 1 : 3 }),
      threads2: await comparePeer('mnist', { threads: 2, rounds: quick ? 1 : 3 }),
    },
    ...(quick
      ? {}
      : {
          paper64: {
            threads1: await comparePeer('paper64', { threads: 1, rounds: 2, steps: 2 }),
            threads2: await comparePeer('paper64', { threads: 2, rounds: 2, steps: 2 }),
          },
        }),
  };
  return out;
}

export async function benchTraining(opts: { quick?: boolean } = {}) {
  const only = process.env.GANVAS_BACKEND as Backend | undefined;
  const backends: Backend[] = only ? [only] : ['wasm', 'tensorflow'];
  const results: Record<string, unknown> = {};
  for (const b of backends) results[b] = await benchBackend(b, opts.quick ?? false);
  await selectBackend(only ?? 'auto'); // as before for the benchmarks that follow
  return { ...results, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
}
