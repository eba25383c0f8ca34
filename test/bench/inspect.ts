/**
 * The "Inside" views' latency on the active backend (in this process, as the inference worker
 * runs them): the paper's MNIST net on a real MNIST project, and the 64x64 paper net for the
 * paths that need no dataset. Untrained weights: the cost does not depend on training.
 */
import path from 'node:path';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { createProject, DEFAULT_HYPER } from '../../src-main/engine/project/create';
import type { GanAt } from '../../src-main/engine/project/models';
import type { Project } from '../../src-main/engine/project/project';
import { featureMaps, topActivating } from '../../src-main/engine/inspect/features';
import { networkFilters } from '../../src-main/engine/inspect/filters';
import { fitForget, renderForget } from '../../src-main/engine/inspect/forget';
import { guidedBackprop } from '../../src-main/engine/inspect/guided';
import type { ForgetSampleBoxes } from '../../src-main/shared/types/inspect';
import { bareProject, tempDir } from '../helpers/projects';

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

async function generatedPaths(project: Project, gan: GanAt, pool: number) {
  const { model } = project.config;
  await featureMaps(project, gan, { kind: 'generated', seed: 0, index: 0 }); // warm-up
  const tensors = tf.memory().numTensors;
  const out = {
    filtersD2Ms: await ms(() => networkFilters(gan.D, 'D', 'd2', model.channels)),
    filtersGLastMs: await ms(() => networkFilters(gan.G, 'G', gan.G.spec.at(-1)!.name, model.channels)),
    featureMapsMs: await ms(() => featureMaps(project, gan, { kind: 'generated', seed: 0, index: 3 })),
    [`topActivatingG${pool}Ms`]: await ms(() => topActivating(project, gan, { net: 'G', layer: 'g1', channel: 0, source: 'generated', pool })),
    forgetFit16SamplesMs: await ms(() => fitForget(gan, model, 0, { samples: boxes(model.size) })),
    forgetRender16Ms: await ms(() => renderForget(gan, model, 0, { drop: [0, 1, 2], seed: 1, count: 16 })),
  };
  return { ...out, tensorsLeaked: tf.memory().numTensors - tensors };
}

export async function benchInspect(opts: { quick?: boolean } = {}) {
  const backend = await selectBackend((process.env.GANVAS_BACKEND as 'auto' | undefined) ?? 'auto');
  const pool = opts.quick ? 64 : 256;
  const project = await createProject({ dir: path.join(tempDir('ganvas-bench-'), 'mnist'), dataset: { kind: 'mnist' } });
  const { config } = project;
  const gan = { ...buildGan(config.model, config.train), step: 0 };
  const mnist = {
    ...(await generatedPaths(project, gan, pool)),
    realFeatureMapsMs: await ms(() => featureMaps(project, gan, { kind: 'real', index: 5 })),
    [`topActivatingDReal${pool}Ms`]: await ms(() => topActivating(project, gan, { net: 'D', layer: 'd2', channel: 0, source: 'real', pool })),
    [`guidedPool${pool}Top8Ms`]: await ms(() => guidedBackprop(project, gan, { channel: 0, pool, top: 8 })),
  };
  disposeGan(gan);
  // The 64x64 paper net's generated-sample paths need its config, not a dataset.
  const model64 = PRESETS.find((p) => p.id === 'paper64')!.model;
  const gan64 = buildGan(model64, DEFAULT_HYPER);
  const paper64 = await generatedPaths(bareProject(model64, DEFAULT_HYPER.seed), { ...gan64, step: 0 }, opts.quick ? 32 : 128);
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
