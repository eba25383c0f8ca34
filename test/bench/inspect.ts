/**
 * The "Inside" views' latency on the active backend (in this process, as the inference worker
 * runs them): the paper's MNIST net on a real MNIST project, and the 64x64 paper net for the
 * paths that need no dataset. Untrained weights: the cost does not depend on training.
 */
import path from 'node:path';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, type Gan } from '../../src-main/engine/models/gan';
import { createProject, DEFAULT_HYPER, loadProjectConfig } from '../../src-main/engine/project/project';
import { featureMaps, topActivating } from '../../src-main/engine/inspect/features';
import { networkFilters } from '../../src-main/engine/inspect/filters';
import { fitForget, renderForget } from '../../src-main/engine/inspect/forget';
import { guidedBackprop } from '../../src-main/engine/inspect/guided';
import type { ForgetSampleBoxes } from '../../src-main/shared/types/inspect';
import type { ModelConfig } from '../../src-main/shared/types';
import { tempDir } from '../helpers/projects';

async function ms(work: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await work();
  return Math.round(performance.now() - t);
}

/** Boxes on 16 samples: the middle half of each image. */
const boxes = (size: number): ForgetSampleBoxes[] =>
  Array.from({ length: 16 }, (_, index) => ({
    seed: 1,
    index,
    boxes: [{ x0: size / 4, y0: size / 4, x1: (3 * size) / 4, y1: (3 * size) / 4 }],
  }));

async function generatedPaths(gan: Gan, model: ModelConfig, dir: string, pool: number) {
  await featureMaps(gan, model, dir, 0, { kind: 'generated', seed: 0, index: 0 }); // warm-up
  const tensors = tf.memory().numTensors;
  const out = {
    filtersD2Ms: await ms(() => networkFilters(gan.D, 'D', 'd2', model.channels)),
    filtersGLastMs: await ms(() => networkFilters(gan.G, 'G', gan.G.spec.at(-1)!.name, model.channels)),
    featureMapsMs: await ms(() => featureMaps(gan, model, dir, 0, { kind: 'generated', seed: 0, index: 3 })),
    [`topActivatingG${pool}Ms`]: await ms(() =>
      topActivating(gan, model, dir, 0, { net: 'G', layer: 'g1', channel: 0, source: 'generated', pool }),
    ),
    forgetFit16SamplesMs: await ms(() => fitForget(gan, model, 0, { samples: boxes(model.size) })),
    forgetRender16Ms: await ms(() => renderForget(gan, model, 0, { drop: [0, 1, 2], seed: 1, count: 16 })),
  };
  return { ...out, tensorsLeaked: tf.memory().numTensors - tensors };
}

export async function benchInspect(opts: { quick?: boolean } = {}) {
  const backend = await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const pool = opts.quick ? 64 : 256;
  const dir = path.join(tempDir('ganvas-bench-'), 'mnist');
  await createProject({ dir, dataset: { kind: 'mnist' } });
  const config = loadProjectConfig(dir);
  const gan = buildGan(config.model, config.train);
  const mnist = {
    ...(await generatedPaths(gan, config.model, dir, pool)),
    realFeatureMapsMs: await ms(() => featureMaps(gan, config.model, dir, 0, { kind: 'real', index: 5 })),
    [`topActivatingDReal${pool}Ms`]: await ms(() =>
      topActivating(gan, config.model, dir, 0, { net: 'D', layer: 'd2', channel: 0, source: 'real', pool }),
    ),
    [`guidedPool${pool}Top8Ms`]: await ms(() => guidedBackprop(gan, config, dir, 0, { channel: 0, pool, top: 8 })),
  };
  disposeGan(gan);
  const model64 = PRESETS.find((p) => p.id === 'paper64')!.model;
  const gan64 = buildGan(model64, DEFAULT_HYPER);
  const paper64 = await generatedPaths(gan64, model64, dir, opts.quick ? 32 : 128);
  disposeGan(gan64);
  return { backend: backend.active, mnist, paper64 };
}

if (process.argv[1]?.endsWith('inspect.ts')) {
  benchInspect({ quick: process.argv.includes('--quick') }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
