/**
 * Before/after of one training step on the active backend, interleaved in one process (the
 * machine is shared, so only a ratio measured side by side means anything): "before" is the
 * path as it was before issue 12 (./legacy.ts), "after" the current one. On wasm and cpu the
 * clock is this process's CPU time (single-threaded backends: per-core work, barely disturbed by
 * other programs); on TensorFlow wall time.
 *
 *   npx tsx test/bench/step-ab.ts [mnist|paper64] [rounds] [direct|fresh|xnnpack]   # GANVAS_BACKEND picks the backend
 *
 * With `direct`, "before" is today's path with the direct convs instead of Winograd and XNNPACK
 * for every weight gradient (wasm; legacy.ts' useDirectConvPath); with `fresh`, today's path with
 * each conv transforming its filter afresh (no sharing between D's real and fake passes); with
 * `xnnpack`, today's path with XNNPACK multiplying the Winograd planes instead of our gemm. BATCH=32 times a step of 32
 * images (a data-parallel worker's slice of the default 64).
 */
import { pathToFileURL } from 'node:url';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { latentBatch } from '../../src-main/engine/sampling/noise';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { useCurrentPath, useDirectConvPath, useFreshFilterPath, useLegacyPath, useXnnpackPlanesPath, type StepFn } from './legacy';
import { clockFor } from './profile';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface StepAB {
  preset: string;
  backend: string;
  clock: 'cpu' | 'wall';
  batch: number;
  rounds: number;
  beforeMs: number;
  afterMs: number;
  beforeImagesPerSec: number;
  afterImagesPerSec: number;
  /** Median of the per-round ratios before/after. */
  speedup: number;
}

export async function benchStepAB(presetId: string, rounds = 3, batch = 64, useBefore: () => StepFn = useLegacyPath): Promise<StepAB> {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const gan = buildGan(model, DEFAULT_HYPER);
  const real = tf.randomUniform([batch, model.size, model.size, model.channels], -1, 1) as tf.Tensor4D;
  const clock = clockFor(tf.getBackend());
  const time = (use: () => StepFn, seed: number) => {
    const step = use();
    const z = latentBatch(model, batch, seed);
    const t = clock.now();
    step(gan, { real, onehot: null, z });
    const ms = clock.now() - t;
    z.dispose();
    return ms;
  };
  try {
    time(useBefore, 0); // warm-up of both paths
    time(useCurrentPath, 0);
    const before: number[] = [];
    const after: number[] = [];
    const ratios: number[] = [];
    for (let i = 1; i <= rounds; i++) {
      // Alternate which side goes first, so neither always follows the other.
      const [b, a] = i % 2 ? [time(useBefore, i), time(useCurrentPath, i)] : [NaN, time(useCurrentPath, i)];
      const bb = Number.isNaN(b) ? time(useBefore, i) : b;
      before.push(bb);
      after.push(a);
      ratios.push(bb / a);
    }
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      preset: presetId,
      backend: tf.getBackend(),
      clock: clock.kind,
      batch,
      rounds,
      beforeMs: Math.round(median(before)),
      afterMs: Math.round(median(after)),
      beforeImagesPerSec: r1((batch / median(before)) * 1000),
      afterImagesPerSec: r1((batch / median(after)) * 1000),
      speedup: Math.round(median(ratios) * 100) / 100,
    };
  } finally {
    useCurrentPath();
    real.dispose();
    disposeGan(gan);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const before =
    { direct: useDirectConvPath, fresh: useFreshFilterPath, xnnpack: useXnnpackPlanesPath }[process.argv[4] ?? ''] ?? useLegacyPath;
  console.log(
    JSON.stringify(await benchStepAB(process.argv[2] ?? 'mnist', Number(process.argv[3] ?? 5), Number(process.env.BATCH ?? 64), before)),
  );
}
