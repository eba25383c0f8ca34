/**
 * The offline quality score: Fréchet distance between real test images and generated samples,
 * both seen through the project's own classifier (fd-classifier.ts), per checkpoint. Lower is
 * better; the checkpoint with the lowest score is the one to keep. Every checkpoint is scored
 * on the same real images and the same z (and labels), so differences come from G alone.
 *
 * FD is biased upwards for finite samples (Chong & Forsyth 2020), so scores are comparable only
 * at equal sample counts — each row records nReal and nFake — and each row also records the FD
 * between the real test images and as many other real images: the floor a perfect G would reach.
 */
import type { QualityResult, QualityRow } from '../../shared/types/eval';
import type { DatasetCache } from '../data/cache';
import type { Project } from '../project/project';
import { latentVectors } from '../sampling/noise';
import { gridLabels } from '../sampling/sampler';
import { selectSteps, skipUnreadable, type StepSelection } from './checkpoints';
import { openProjectDataset, requireLabels } from './dataset';
import { FdClassifier, FD_CLASSIFIER_NAME } from './fd-classifier';
import { frechetDistance } from './frechet';
import type { RunControl } from './progress';
import { cacheSource, generatorSource } from './sources';
import { evalSeed, EvalPurpose, evalSplit, type EvalSplit } from './split';
import { fitGaussian } from './stats';
import { readQualityRows, resetQualityRows, upsertQualityRows } from './store';

export const DEFAULT_FD_SAMPLES = 2000;
export const DEFAULT_CLASSIFIER_STEPS = 1000;

export interface QualityOptions {
  /** Default 'new': checkpoints not scored yet with this classifier and these sample counts. */
  steps?: StepSelection;
  nReal?: number;
  nFake?: number;
  seed?: number;
  /** Train a new classifier even if one is saved (earlier scores are then cleared: not comparable). */
  retrain?: boolean;
  classifierSteps?: number;
}

export async function evaluateQuality(
  project: Project,
  options: QualityOptions = {},
  control: RunControl & { onStep?: (step: number, index: number, count: number) => void } = {},
): Promise<QualityResult> {
  const config = project.config;
  requireLabels(config);
  const { model } = config;
  const seed = options.seed ?? config.train.seed;
  const nFake = options.nFake ?? DEFAULT_FD_SAMPLES;
  const cache = openProjectDataset(project);
  let classifier: FdClassifier | null = null;
  try {
    const split = evalSplit(cache.count, seed, options.nReal ?? DEFAULT_FD_SAMPLES);
    const nReal = split.test.length;
    const testSource = cacheSource(cache, split.test);

    const retrain = options.retrain;
    const trained = await projectClassifier(project, cache, split, { seed, retrain, steps: options.classifierSteps }, control);
    classifier = trained.classifier;
    if (trained.fresh) resetQualityRows(project); // scores from an earlier classifier are not comparable with this one's
    const clf = classifier;
    const id = clf.info.id;
    const comparable = (r: QualityRow) => r.classifierId === id && r.nReal === nReal && r.nFake === nFake && r.seed === seed;
    const done = new Set(
      readQualityRows(project)
        .filter(comparable)
        .map((r) => r.step),
    );
    const steps = selectSteps(project, options.steps ?? 'new', done);

    const skipped: QualityResult['skipped'] = [];
    const fresh: QualityRow[] = [];
    if (steps.length > 0) {
      const real = fitGaussian(await clf.extract(testSource, { ...control, phase: `Features of ${nReal} real test images` }), nReal, 64);
      // Real-vs-real at the same counts: the score of a generator that samples the data itself.
      const others = cacheSource(cache, split.pool.subarray(0, Math.min(nFake, split.pool.length)));
      const floorFeatures = await clf.extract(others, { ...control, phase: `Features of ${others.count} other real images (the floor)` });
      const realFloor = frechetDistance(real, fitGaussian(floorFeatures, others.count, 64)).fd;
      const z = latentVectors(model, nFake, evalSeed(seed, EvalPurpose.fakes));
      const fakeLabels = gridLabels(model, nFake);
      for (const [i, step] of steps.entries()) {
        control.onStep?.(step, i + 1, steps.length);
        try {
          const feats = await project.withGanAt(step, ({ G }) =>
            clf.extract(generatorSource(G, model, z, fakeLabels), { ...control, phase: `Scoring step ${step}: ${nFake} samples` }),
          );
          const parts = frechetDistance(real, fitGaussian(feats, nFake, 64));
          fresh.push({
            step,
            epoch: project.epochAt(step),
            fd: parts.fd,
            meanTerm: parts.meanTerm,
            covTerm: parts.covTerm,
            nReal,
            nFake,
            realFloor,
            classifier: FD_CLASSIFIER_NAME,
            classifierId: id,
            seed,
            time: new Date().toISOString(),
          });
        } catch (err) {
          skipUnreadable(err, step, skipped);
        }
      }
    }
    const rows = upsertQualityRows(project, fresh).filter(comparable);
    return { classifier: clf.summary, rows, evaluated: fresh.map((r) => r.step), skipped };
  } finally {
    classifier?.dispose();
    cache.close();
  }
}

/**
 * The project's quality classifier: the saved one (eval/fd-classifier.json) when it fits the
 * project's images and classes, else a new one trained on `split.pool`, checked on `split.test`
 * and saved. `fresh` says it was just trained (scores of an earlier one are not comparable).
 */
export async function projectClassifier(
  project: Project,
  cache: DatasetCache,
  split: EvalSplit,
  options: { seed: number; retrain?: boolean; steps?: number },
  control: RunControl = {},
): Promise<{ classifier: FdClassifier; fresh: boolean }> {
  const { model } = project.config;
  const { seed } = options;
  const labels = cache.readLabels();
  const numClasses = cache.classes.length;
  const saved = options.retrain ? null : FdClassifier.load(project, { size: model.size, channels: model.channels, numClasses });
  if (saved) return { classifier: saved, fresh: false };
  const steps = options.steps ?? DEFAULT_CLASSIFIER_STEPS;
  const nReal = split.test.length;
  const classifier = FdClassifier.create(
    {
      classifier: FD_CLASSIFIER_NAME,
      featureDim: 64,
      size: model.size,
      channels: model.channels,
      numClasses,
      trainSteps: steps,
      batchSize: 64,
      trainImages: split.pool.length,
      testImages: nReal,
      testAccuracy: NaN,
      seed,
      createdAt: new Date().toISOString(),
    },
    evalSeed(seed, EvalPurpose.fdClassifier),
  );
  try {
    await classifier.train(cache, split.pool, labels, { seed: evalSeed(seed, EvalPurpose.fdClassifier, 1) }, control);
    const testAccuracy = await classifier.accuracy(
      cacheSource(cache, split.test),
      Int32Array.from(split.test, (i) => labels[i]),
      control,
    );
    classifier.finish({ testAccuracy, testImages: nReal, trainImages: split.pool.length });
    classifier.save(project);
  } catch (err) {
    classifier.dispose();
    throw err;
  }
  return { classifier, fresh: true };
}
