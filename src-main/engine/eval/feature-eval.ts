/**
 * D as a feature extractor (paper Sec. 5.1, Table 1): pooled features of every hidden layer of
 * D, a regularised linear classifier trained on N labelled examples, accuracy on a held-out test
 * set — beside two baselines on the very same split and classifier: raw pixels, and a randomly
 * initialised D of the same architecture (what the architecture alone gives, before training).
 */
import type { FeatureEvalResult, FeatureEvalRow, FeatureMethod, LinearLossName } from '../../shared/types/eval';
import { discriminatorSpec } from '../models/architecture';
import { createNetwork, disposeNetwork, type Network } from '../models/network';
import type { Project } from '../project/project';
import { Rng } from '../util/rng';
import { selectSteps } from './checkpoints';
import { dFeatureDim, extractDFeatures, extractPixels } from './d-features';
import { openProjectDataset, requireLabels } from './dataset';
import { accuracy, predictLinear } from './linear-classifier';
import { tfLinearObjective } from './linear-objective-tf';
import { fitWithValidation } from './model-selection';
import type { RunControl } from './progress';
import { cacheSource, type ImageSource } from './sources';
import { balancedSubset, classCounts, evalSeed, EvalPurpose, evalSplit } from './split';
import { appendFeatureRun } from './store';

/** "All" labelled examples means at most this many: the classifier is full-batch L-BFGS. */
export const MAX_LABELLED = 10_000;
/** The labelled examples' features are held (twice: raw and standardised) while fitting; big D's get fewer. */
const FEATURE_BUDGET_BYTES = 512 << 20;
export const DEFAULT_TEST_SIZE = 2000;

export interface FeatureEvalOptions {
  /** Labelled training set sizes; 'all' = the whole pool, up to MAX_LABELLED. */
  labels: (number | 'all')[];
  testSize?: number;
  loss?: LinearLossName;
  seed?: number;
  /** Checkpoint whose D is evaluated (default: the newest). */
  step?: number;
}

const METHOD_LABELS: Record<FeatureMethod, string> = {
  'trained-d': 'Trained D',
  'random-d': 'Random D (untrained)',
  pixels: 'Raw pixels',
};

/**
 * Resolves the requested N values against the pool: unique, ascending, each at least one per
 * class, and at most what the pool, MAX_LABELLED and the feature memory budget (`dim` floats per
 * example) allow.
 */
export function resolveLabelCounts(requested: (number | 'all')[], poolSize: number, numClasses: number, dim = 0): number[] {
  const cap = Math.min(poolSize, MAX_LABELLED, dim > 0 ? Math.floor(FEATURE_BUDGET_BYTES / (dim * 4)) : Infinity);
  const ns = requested.map((n) => (n === 'all' ? cap : Math.min(n, cap)));
  for (const n of ns) if (n < numClasses) throw new Error(`N = ${n} labelled examples is fewer than one per class (${numClasses} classes)`);
  return [...new Set(ns)].sort((a, b) => a - b);
}

export async function evaluateFeatures(
  project: Project,
  options: FeatureEvalOptions,
  control: RunControl = {},
): Promise<FeatureEvalResult> {
  const started = performance.now();
  const config = project.config;
  requireLabels(config);
  const { model } = config;
  const seed = options.seed ?? config.train.seed;
  const loss = options.loss ?? 'l2svm';
  const step = selectSteps(project, options.step !== undefined ? [options.step] : 'latest')[0];
  const cache = openProjectDataset(project);
  try {
    const labels = cache.readLabels();
    const numClasses = cache.classes.length;
    const split = evalSplit(cache.count, seed, options.testSize ?? DEFAULT_TEST_SIZE);
    const ns = resolveLabelCounts(
      options.labels,
      split.pool.length,
      numClasses,
      Math.max(dFeatureDim(model), model.size * model.size * model.channels),
    );
    const labelled = balancedSubset(split.pool, labels, numClasses, ns.at(-1)!);
    const trainY = Int32Array.from(labelled, (i) => labels[i]);
    const testY = Int32Array.from(split.test, (i) => labels[i]);
    const trainSource = cacheSource(cache, labelled);
    const testSource = cacheSource(cache, split.test);
    const notes: string[] = [];
    if (step === 0 && !project.hasInitialCheckpoint()) notes.push('The project has no checkpoint yet: "trained" D is the initial, untrained one.');
    if (model.numClasses > 0)
      notes.push('Conditional model: D was fed all-zero label maps, so its features carry no class information from the label input.');

    const progress = (phase: string) => ({ ...control, phase });
    const rows: FeatureEvalRow[] = ns.map((n) => ({ n, perClass: classCounts(labelled.subarray(0, n), labels, numClasses), results: [] }));
    const methods: FeatureEvalResult['methods'] = [];

    /** Features of train + test for one method, then a classifier per N on nested prefixes. */
    const score = async (method: FeatureMethod, extract: (source: ImageSource, phase: string) => Promise<Float32Array>, dim: number) => {
      methods.push({ method, label: METHOD_LABELS[method], dim });
      const name = METHOD_LABELS[method];
      const trainX = await extract(trainSource, `${name}: features of ${labelled.length} labelled images`);
      const testX = await extract(testSource, `${name}: features of ${split.test.length} test images`);
      for (const [i, n] of ns.entries()) {
        control.onProgress?.({ phase: `${name}: fitting the classifier on N = ${n}`, done: i, total: ns.length });
        const fit = await fitWithValidation(trainX.subarray(0, n * dim), trainY, n, dim, numClasses, {
          loss,
          check: control.check,
          objective: tfLinearObjective,
        });
        const acc = accuracy(predictLinear(fit.model, testX, split.test.length), testY);
        rows[i].results.push({ method, accuracy: acc, lambda: fit.lambda });
      }
    };

    const dDim = dFeatureDim(model);
    await project.withGanAt(step, ({ D }) =>
      score('trained-d', (source, phase) => extractDFeatures(D, model, source, progress(phase)), dDim),
    );
    const randomD: Network = createNetwork(discriminatorSpec(model), new Rng(evalSeed(seed, EvalPurpose.randomD)), 'D-random');
    try {
      await score('random-d', (source, phase) => extractDFeatures(randomD, model, source, progress(phase)), dDim);
    } finally {
      disposeNetwork(randomD);
    }
    await score('pixels', (source, phase) => extractPixels(source, progress(phase)), model.size * model.size * model.channels);

    const result: FeatureEvalResult = {
      version: 1,
      createdAt: new Date().toISOString(),
      step,
      epoch: project.epochAt(step),
      seed,
      loss,
      testSize: split.test.length,
      poolSize: split.pool.length,
      classes: cache.classes,
      methods,
      rows,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      notes,
    };
    appendFeatureRun(project, result);
    return result;
  } finally {
    cache.close();
  }
}
