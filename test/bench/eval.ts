/**
 * Evaluation throughput on the active backend, measured in this process (as the inference worker
 * runs it), untrained weights (cost does not depend on training):
 *  - D feature extraction (4x4-pooled hidden layers) for the MNIST and 64x64 paper nets, images/s;
 *  - the quality classifier's features, images/s, and one Fréchet distance on 64-d features;
 *  - one linear-classifier fit (tfjs objective + L-BFGS) on N = 1000 MNIST-D-sized features;
 *  - exact nearest neighbours (pixels, bytes) in query x reference comparisons per second.
 * Run: `npx tsx test/bench/eval.ts [--quick]` — prints one JSON object.
 */
import { pathToFileURL } from 'node:url';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { dFeatureDim, extractDFeatures } from '../../src-main/engine/eval/d-features';
import { FdClassifier } from '../../src-main/engine/eval/fd-classifier';
import { frechetFromFeatures } from '../../src-main/engine/eval/frechet';
import { tfLinearObjective } from '../../src-main/engine/eval/linear-objective-tf';
import { fitWithValidation } from '../../src-main/engine/eval/model-selection';
import { nearestNeighboursTf } from '../../src-main/engine/eval/neighbours-tf';
import { arraySource } from '../../src-main/engine/eval/sources';
import { discriminatorSpec, PRESETS } from '../../src-main/engine/models/architecture';
import { createNetwork, disposeNetwork } from '../../src-main/engine/models/network';
import { Rng } from '../../src-main/engine/util/rng';

const seconds = async (work: () => Promise<unknown>) => {
  const t = performance.now();
  await work();
  return (performance.now() - t) / 1000;
};

async function dFeatureThroughput(presetId: string, images: number) {
  const model = PRESETS.find((p) => p.id === presetId)!.model;
  const D = createNetwork(discriminatorSpec(model), new Rng(1), 'D-bench');
  const pixels = new Float32Array(images * model.size * model.size * model.channels).map((_, i) => Math.sin(i * 0.37));
  try {
    const warm = Math.min(images, 128);
    await extractDFeatures(D, model, arraySource(pixels.subarray(0, (pixels.length / images) * warm), warm)); // warm-up: kernels, allocations
    const s = await seconds(() => extractDFeatures(D, model, arraySource(pixels, images)));
    return { preset: presetId, images, featureDim: dFeatureDim(model), imagesPerSec: Math.round(images / s) };
  } finally {
    disposeNetwork(D);
  }
}

export async function benchEval({ quick = false } = {}): Promise<Record<string, unknown>> {
  const report = await selectBackend((process.env.GANVAS_BACKEND as 'auto') ?? 'auto');
  const n = quick ? 512 : 2048;
  const out: Record<string, unknown> = { backend: report.active };
  out.dFeatures = [await dFeatureThroughput('mnist', n), await dFeatureThroughput('paper64', quick ? 128 : 512)];

  const clf = FdClassifier.create(
    {
      classifier: 'ganvas-cnn-v1',
      featureDim: 64,
      size: 28,
      channels: 1,
      numClasses: 10,
      trainSteps: 0,
      batchSize: 64,
      trainImages: 0,
      testImages: 0,
      testAccuracy: 0,
      seed: 1,
      createdAt: '',
    },
    1,
  );
  const digits = new Float32Array(n * 784).map((_, i) => Math.cos(i * 0.11));
  await clf.extract(arraySource(digits.subarray(0, 128 * 784), 128));
  let feats: Float32Array = new Float32Array(0);
  const sClf = await seconds(async () => (feats = await clf.extract(arraySource(digits, n))));
  clf.dispose();
  const half = Math.floor(n / 2);
  const sFd = await seconds(async () => frechetFromFeatures(feats.subarray(0, half * 64), half, feats.subarray(half * 64), n - half, 64));
  out.fdClassifier = { images: n, imagesPerSec: Math.round(n / sClf), frechet64dMs: Math.round(sFd * 1000) };

  const rng = new Rng(3);
  const N = 1000;
  const d = 3072;
  const x = new Float32Array(N * d).map(() => rng.normal());
  const y = Int32Array.from({ length: N }, (_, i) => i % 10);
  for (let i = 0; i < N; i++) x[i * d + y[i]] += 2; // separable-ish, so the fit does real work
  let lambda = 0;
  const sFit = await seconds(
    async () => (lambda = (await fitWithValidation(x, y, N, d, 10, { loss: 'l2svm', objective: tfLinearObjective })).lambda),
  );
  out.linearClassifier = { n: N, dim: d, classes: 10, lambda, secondsWithLambdaSearch: +sFit.toFixed(2) };

  const q = 128;
  const m = quick ? 2000 : 10_000;
  const ref = new Uint8Array(m * 784).map(() => rng.int(256));
  const queries = new Uint8Array(q * 784).map(() => rng.int(256));
  const sNn = await seconds(() => nearestNeighboursTf(queries, q, ref, m, 784, 3));
  out.nearestNeighbours = { queries: q, reference: m, dim: 784, comparisonsPerSec: Math.round((q * m) / sNn), seconds: +sNn.toFixed(2) };
  out.tensorsLeft = tf.memory().numTensors;
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchEval({ quick: process.argv.includes('--quick') }), null, 2));
  process.exit(0);
}
