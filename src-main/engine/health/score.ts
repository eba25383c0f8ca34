/**
 * The label-free score of a checkpoint: real and generated images seen through one fixed feature
 * space (feature-net.ts), compared by
 *  - the Fréchet distance (eval/frechet.ts; the FID formula, not FID: other features),
 *  - precision and recall as k-NN manifolds (manifold.ts, Kynkäänniemi et al. 2019),
 *  - the samples' spread and near-duplicate share, against the same statistics of real images,
 *  - how far the fixed-noise grid moved since the last two checkpoints.
 * The real side (prepareReference) is computed once per project and space; each checkpoint then
 * costs n generated images, their features, and the statistics (docs/run-health.md, "Cost").
 * Every checkpoint is scored on the same z, so differences come from G alone.
 */
import type { HealthRecord } from '../../shared/types/health';
import type { ModelConfig } from '../../shared/types';
import { frechetDistance } from '../eval/frechet';
import { sqrtPsd } from '../eval/linalg';
import type { RunControl } from '../eval/progress';
import { generatorSource, type ImageSource } from '../eval/sources';
import { evalSeed } from '../eval/split';
import { fitGaussian, type Gaussian } from '../eval/stats';
import type { Network } from '../models/network';
import { latentVectors } from '../sampling/noise';
import { FIXED_GRID_COUNT, gridLabels } from '../sampling/sampler';
import { deriveSeed, Stream } from '../util/rng';
import type { FeatureNet } from './feature-net';
import { coverage, MANIFOLD_K, meanPairwiseDistance, nearDuplicateRadius, selfNeighbours, shareWithin } from './manifold';
import { NEAR_DUPLICATE_QUANTILE } from './thresholds';

/** deriveSeed purpose for the scoring z, apart from evaluation's purposes (eval/split.ts). */
export const HEALTH_PURPOSE = 11;
/** Default images per side: FD and the k-NN statistics are comparable only at equal counts. */
export const DEFAULT_HEALTH_SAMPLES = 1000;

/** The real side of every comparison, computed once per project and feature space. */
export interface RealReference {
  space: string;
  n: number;
  d: number;
  k: number;
  /** Real features [n, d]. */
  features: Float32Array;
  gaussian: Gaussian;
  /** sqrtPsd(gaussian.cov), computed once: a third of every Fréchet distance's work. */
  rootCov: Float64Array;
  /** k-NN ball radius of each real row. */
  radius: Float64Array;
  /** Mean pairwise distance among real rows: the unit diversity and grid drift are measured in. */
  spread: number;
  /** Nearest-other distance below which a sample counts as a near-duplicate. */
  duplicateRadius: number;
  /** The same statistics for a second real set of n images (a perfect G's numbers), when there is one. */
  floor: { fd: number; precision: number; recall: number; diversity: number; nearDuplicates: number } | null;
}

/**
 * Features and statistics of the real images: the first `n` of `real` are the reference; the
 * next `n`, when `real` has them, give the real-vs-real floor.
 */
export async function prepareReference(
  space: FeatureNet,
  real: ImageSource,
  options: { n?: number; k?: number; chunk?: number } & RunControl = {},
): Promise<RealReference> {
  const n = Math.min(options.n ?? DEFAULT_HEALTH_SAMPLES, real.count);
  const k = options.k ?? MANIFOLD_K;
  const d = space.info.dim;
  if (n < Math.max(k + 1, 10)) throw new Error(`The label-free score needs at least 10 real images, got ${real.count}`);
  const first: ImageSource = { count: n, read: real.read };
  const features = await space.extract(first, { ...options, phase: `Features of ${n} real images` });
  const gaussian = fitGaussian(features, n, d);
  const own = selfNeighbours(features, n, d, k);
  const reference: RealReference = {
    space: space.info.id,
    n,
    d,
    k,
    features,
    gaussian,
    rootCov: sqrtPsd(gaussian.cov, d),
    radius: own.radius,
    spread: meanPairwiseDistance(features, n, d),
    duplicateRadius: nearDuplicateRadius(own.nearest, NEAR_DUPLICATE_QUANTILE),
    floor: null,
  };
  if (real.count >= 2 * n) {
    const second: ImageSource = { count: n, read: (start, m) => real.read(n + start, m) };
    const other = await space.extract(second, { ...options, phase: `Features of ${n} other real images (the floor)` });
    const { precision, recall, diversity, nearDuplicates, fd } = compare(reference, other);
    reference.floor = { fd, precision, recall, diversity, nearDuplicates };
  }
  return reference;
}

/** Every statistic of one feature set [ref.n, d] against the reference. */
function compare(ref: RealReference, fake: Float32Array) {
  const { n, d, k } = ref;
  const parts = frechetDistance(ref.gaussian, fitGaussian(fake, n, d), ref.rootCov);
  const own = selfNeighbours(fake, n, d, k);
  return {
    ...parts,
    precision: coverage(fake, n, ref.features, n, d, ref.radius),
    recall: coverage(ref.features, n, fake, n, d, own.radius),
    diversity: ref.spread > 0 ? meanPairwiseDistance(fake, n, d) / ref.spread : 0,
    nearDuplicates: shareWithin(own.nearest, ref.duplicateRadius),
  };
}

/** Mean row distance between two feature sets of the same rows [m, d], in units of the real spread. */
function meanRowDistance(a: Float32Array, b: Float32Array, d: number, spread: number): number {
  const m = a.length / d;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    let acc = 0;
    for (let c = 0; c < d; c++) acc += (a[i * d + c] - b[i * d + c]) ** 2;
    sum += Math.sqrt(acc);
  }
  return spread > 0 ? sum / m / spread : 0;
}

export interface ScoreOptions extends RunControl {
  step: number;
  /** Images per chunk of feature extraction (and generation); smaller chunks yield sooner. */
  chunk?: number;
  /** Features of the fixed-noise samples at earlier checkpoints, newest last (from earlier calls' `fixed`). */
  previousFixed?: Float32Array[];
}

export interface ScoreResult {
  record: HealthRecord;
  /** Features of this checkpoint's fixed-noise samples: pass to the next call's `previousFixed`. */
  fixed: Float32Array | null;
}

/**
 * Scores a sample source of exactly `ref.n` images (and, optionally, the fixed-noise samples
 * `fixedSamples`, the same z at every checkpoint) against the reference.
 */
export async function scoreSamples(
  space: FeatureNet,
  ref: RealReference,
  samples: ImageSource,
  options: ScoreOptions & { fixedSamples?: ImageSource },
): Promise<ScoreResult> {
  const started = performance.now();
  if (space.info.id !== ref.space) throw new Error(`The reference was made in feature space ${ref.space}, not ${space.info.id}`);
  if (samples.count !== ref.n) throw new Error(`Score with as many samples as real images (${ref.n}), got ${samples.count}`);
  const fake = await space.extract(samples, { ...options, phase: `Scoring step ${options.step}: ${ref.n} samples` });
  const stats = compare(ref, fake);
  let fixed: Float32Array | null = null;
  let gridDrift: number | null = null;
  let gridReturn: number | null = null;
  if (options.fixedSamples) {
    fixed = await space.extract(options.fixedSamples, { ...options, phase: 'Fixed-noise samples' });
    const prev = options.previousFixed ?? [];
    if (prev.length >= 1) gridDrift = meanRowDistance(fixed, prev[prev.length - 1], ref.d, ref.spread);
    if (prev.length >= 2) gridReturn = meanRowDistance(fixed, prev[prev.length - 2], ref.d, ref.spread);
  }
  const record: HealthRecord = {
    step: options.step,
    space: ref.space,
    nReal: ref.n,
    nFake: ref.n,
    k: ref.k,
    fd: stats.fd,
    meanTerm: stats.meanTerm,
    covTerm: stats.covTerm,
    realFloor: ref.floor?.fd ?? null,
    precision: stats.precision,
    recall: stats.recall,
    diversity: stats.diversity,
    nearDuplicates: stats.nearDuplicates,
    gridDrift,
    gridReturn,
    seconds: (performance.now() - started) / 1000,
    time: new Date().toISOString(),
  };
  return { record, fixed };
}

/**
 * Scores generator G (inference mode) at one checkpoint: `ref.n` samples from z seeded by
 * `seed` (the same z at every checkpoint), plus the project's fixed-noise grid z for drift.
 * Conditional models cycle through the classes. Allocates no tensor that outlives the call.
 */
export async function scoreGenerator(
  space: FeatureNet,
  ref: RealReference,
  G: Network,
  model: ModelConfig,
  options: ScoreOptions & { seed: number },
): Promise<ScoreResult> {
  const started = performance.now();
  const z = latentVectors(model, ref.n, evalSeed(options.seed, HEALTH_PURPOSE));
  const result = await scoreSamples(space, ref, generatorSource(G, model, z, gridLabels(model, ref.n)), {
    ...options,
    fixedSamples: fixedNoiseSource(G, model, options.seed),
  });
  result.record.seconds = (performance.now() - started) / 1000;
  return result;
}

/** G's samples of the project's fixed-noise grid (the z of every saved sample grid): what grid drift compares. */
export function fixedNoiseSource(G: Network, model: ModelConfig, seed: number): ImageSource {
  const z = latentVectors(model, FIXED_GRID_COUNT, deriveSeed(seed, Stream.fixedNoise));
  return generatorSource(G, model, z, gridLabels(model, FIXED_GRID_COUNT));
}
