/**
 * Which label-free feature space ranks checkpoints like the labelled score (docs/run-health.md,
 * "How well it agrees"): three short MNIST runs (ngf 16; ngf 8; ngf 16 with lr 1e-3), their
 * checkpoints from step 300 to 600 scored by the labelled FD (one classifier: same data and seed)
 * and by FD in slices of the random and the contrastive net's per-layer means. Prints Spearman's
 * rho pooled and per run. Slow (~30 min on 2 busy cores), so not part of `npm run bench`.
 * Run: `npx tsx test/bench/health-rank.ts [--quick]`
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { openProjectDataset } from '../../src-main/engine/eval/dataset';
import { frechetFromFeatures } from '../../src-main/engine/eval/frechet';
import { evaluateQuality } from '../../src-main/engine/eval/quality';
import { cacheSource, generatorSource, mapFeatures, type ImageSource } from '../../src-main/engine/eval/sources';
import { evalSeed, evalSplit } from '../../src-main/engine/eval/split';
import { FeatureNet } from '../../src-main/engine/health/feature-net';
import { spearman } from '../../src-main/engine/health/ranks';
import { HEALTH_PURPOSE } from '../../src-main/engine/health/score';
import { trainContrastive } from '../../src-main/engine/health/ssl';
import { createProject } from '../../src-main/engine/project/create';
import type { Project } from '../../src-main/engine/project/project';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { Trainer } from '../../src-main/engine/train/trainer';

const quick = process.argv.includes('--quick'); // a smoke run: tiny numbers, meaningless rho
const N = quick ? 100 : 1000;
const STEPS = quick ? 60 : 600;
const EVERY = quick ? 20 : 50;
const RUNS = [
  { name: 'ngf16', width: 16, learningRate: 2e-4, seed: 42 },
  { name: 'ngf8', width: 8, learningRate: 2e-4, seed: 43 },
  { name: 'ngf16-lr1e-3', width: 16, learningRate: 1e-3, seed: 44 },
];

/** Columns [a, b) of rows [m, d]. */
function columns(rows: Float32Array, d: number, a: number, b: number): Float32Array {
  const m = rows.length / d;
  const out = new Float32Array(m * (b - a));
  for (let i = 0; i < m; i++) out.set(rows.subarray(i * d + a, i * d + b), i * (b - a));
  return out;
}

/** Per-layer means of the net, concatenated: [B, 32 + 64 + 128] for 28x28. */
function allLayerMeans(net: FeatureNet, x: tf.Tensor4D): tf.Tensor2D {
  const means: tf.Tensor2D[] = [];
  let h = x;
  for (const l of net.spec) {
    h = tf.relu(
      tf.add(tf.conv2d(h, net.params.get(`${l.name}.w`) as tf.Tensor4D, 2, 'same'), net.params.get(`${l.name}.b`)!),
    ) as tf.Tensor4D;
    means.push(tf.mean(h, [1, 2]) as tf.Tensor2D);
  }
  return tf.concat(means, 1) as tf.Tensor2D;
}

async function main() {
  const backend = await selectBackend('wasm');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-rank-'));
  try {
    const labelled: number[] = [];
    const which: { project: Project; run: number; step: number }[] = [];
    for (const [i, run] of RUNS.entries()) {
      const dir = path.join(root, run.name);
      const hyper = {
        learningRate: run.learningRate,
        logEvery: 5,
        sampleEvery: 100_000,
        checkpointEvery: EVERY,
        keepLast: 1000,
        keepEvery: 0,
      };
      const project = await createProject({
        dir,
        dataset: { kind: 'mnist' },
        ngf: run.width,
        ndf: run.width,
        zDim: 32,
        batchSize: 32,
        seed: run.seed,
        hyper,
      });
      const trainer = Trainer.open(project, backend);
      await trainer.run({ moreSteps: STEPS }, { stopRequested: () => false, whilePaused: async () => undefined });
      trainer.dispose();
      const late = project.checkpointSteps().filter((s) => s >= STEPS / 2);
      const q = await evaluateQuality(project, { steps: late, nReal: N, nFake: N, classifierSteps: quick ? 20 : 500, seed: 7 });
      for (const r of q.rows) {
        labelled.push(r.fd);
        which.push({ project, run: i, step: r.step });
      }
    }
    const cache = openProjectDataset(which[0].project);
    const real = cacheSource(cache, evalSplit(cache.count, 7, N).test);
    const contrastive = FeatureNet.random(28, 1, 3);
    await trainContrastive(contrastive, cacheSource(cache, evalSplit(cache.count, 7, N).pool.subarray(0, 5000)), {
      seed: 5,
      steps: quick ? 2 : 300,
    });
    const nets: [string, FeatureNet][] = [
      ['random', FeatureNet.random(28, 1, 1)],
      ['random-seed2', FeatureNet.random(28, 1, 2)],
      ['contrastive', contrastive],
    ];
    const slices: [string, number, number][] = [
      ['all', 0, 224],
      ['first', 0, 32],
      ['middle', 32, 96],
      ['last', 96, 224],
    ];
    const out: Record<string, unknown> = {};
    for (const [name, net] of nets) {
      const extract = (source: ImageSource) => mapFeatures(source, net.info, 224, (x) => allLayerMeans(net, x));
      const realFeatures = await extract(real);
      const fds: number[][] = slices.map(() => []);
      for (const w of which) {
        const { config } = w.project;
        const z = latentVectors(config.model, N, evalSeed(42, HEALTH_PURPOSE));
        const fake = await w.project.withGanAt(w.step, (nets) => extract(generatorSource(nets.G, config.model, z, null)));
        slices.forEach(([, a, b], s) =>
          fds[s].push(frechetFromFeatures(columns(realFeatures, 224, a, b), N, columns(fake, 224, a, b), N, b - a).fd),
        );
      }
      slices.forEach(([slice], s) => {
        const perRun = RUNS.map((_, r) => {
          const idx = which.flatMap((w, j) => (w.run === r ? [j] : []));
          return Number(
            spearman(
              idx.map((j) => labelled[j]),
              idx.map((j) => fds[s][j]),
            ).toFixed(3),
          );
        });
        out[`${name}-${slice}`] = { pooled: Number(spearman(labelled, fds[s]).toFixed(3)), perRun };
      });
      net.dispose();
    }
    cache.close();
    console.log(JSON.stringify({ checkpoints: which.length, labelled: labelled.map((x) => Number(x.toFixed(2))), rho: out }, null, 2));
  } finally {
    fs.rmSync(root, { recursive: true, force: true }); // only the folder made above
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
