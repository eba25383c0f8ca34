/**
 * Cost of the label-free health score of one checkpoint, and its share of training time, for
 * the MNIST and the 64x64 paper presets on the active backend (untrained weights: the cost does
 * not depend on training):
 *  - once per project: the real reference (features + k-NN radii of n real images);
 *  - per checkpoint: G's n samples (+ 64 fixed-noise ones), their features, and FD, precision,
 *    recall, diversity, near-duplicates; split into generation and the rest;
 *  - the share: that cost over the training time between two checkpoints at the default
 *    checkpointEvery, from a training step measured side by side in this process.
 * Run: `npx tsx test/bench/health.ts [--quick]` — prints one JSON object.
 */
import { pathToFileURL } from 'node:url';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { arraySource } from '../../src-main/engine/eval/sources';
import { HEALTH_SCORING_SHARE, checkpointsPerScore, scoringShare } from '../../src-main/engine/health/budget';
import { FeatureNet } from '../../src-main/engine/health/feature-net';
import { DEFAULT_HEALTH_SAMPLES, prepareReference, scoreGenerator, scoreSamples } from '../../src-main/engine/health/score';
import { PRESETS } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { Rng } from '../../src-main/engine/util/rng';
import { benchPreset } from './training';

const seconds = async <T>(work: () => Promise<T> | T): Promise<[number, T]> => {
  const t = performance.now();
  const out = await work();
  return [(performance.now() - t) / 1000, out];
};
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function benchPresetScore(presetId: string, n: number, trainSteps: number) {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const rng = new Rng(9);
  const per = model.size * model.size * model.channels;
  const realImages = rng.fillUniform(new Float32Array(2 * n * per), -1, 1);
  const space = FeatureNet.random(model.size, model.channels, 1);
  const gan = buildGan(model, DEFAULT_HYPER);
  try {
    const [referenceSeconds, reference] = await seconds(() => prepareReference(space, arraySource(realImages, 2 * n), { n }));
    await scoreGenerator(space, reference, gan.G, model, { step: 0, seed: 1 }); // warm-up: kernels, allocations
    const [scoreSeconds] = await seconds(() => scoreGenerator(space, reference, gan.G, model, { step: 1, seed: 1 }));
    const z = latentVectors(model, n + 64, 3);
    const [generateSeconds, images] = await seconds(() => generateImages(gan.G, model, z, null));
    const [restSeconds] = await seconds(() =>
      scoreSamples(space, reference, arraySource(images.subarray(0, n * per), n), {
        step: 2,
        fixedSamples: arraySource(images.subarray(n * per), 64),
      }),
    );
    // Training measured here, side by side with the scoring above, at the default batch.
    const train = await benchPreset(presetId, DEFAULT_HYPER.batchSize, trainSteps);
    const trainSecondsPerCheckpoint = (train.msPerStep / 1000) * DEFAULT_HYPER.checkpointEvery;
    return {
      preset: presetId,
      samples: n,
      featureDim: space.info.dim,
      referenceSecondsOnce: round(referenceSeconds),
      scoreSecondsPerCheckpoint: round(scoreSeconds),
      generationSeconds: round(generateSeconds),
      featuresAndStatisticsSeconds: round(restSeconds),
      trainMsPerStep: train.msPerStep,
      checkpointEvery: DEFAULT_HYPER.checkpointEvery,
      trainSecondsPerCheckpoint: round(trainSecondsPerCheckpoint, 1),
      shareOfTrainingTime: round(scoringShare(scoreSeconds, trainSecondsPerCheckpoint), 4),
      budgetShare: HEALTH_SCORING_SHARE,
      scoreEveryNthCheckpoint: checkpointsPerScore(scoreSeconds, trainSecondsPerCheckpoint),
    };
  } finally {
    space.dispose();
    disposeGan(gan);
  }
}

export async function benchHealth({ quick = false } = {}): Promise<Record<string, unknown>> {
  const report = await selectBackend((process.env.GANVAS_BACKEND as 'auto') ?? 'auto');
  const n = quick ? 250 : DEFAULT_HEALTH_SAMPLES;
  return {
    backend: report.active,
    mnist: await benchPresetScore('mnist', n, quick ? 2 : 4),
    paper64: await benchPresetScore('paper64', n, quick ? 1 : 2),
    tensorsLeft: tf.memory().numTensors,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchHealth({ quick: process.argv.includes('--quick') }), null, 2));
  process.exit(0);
}
