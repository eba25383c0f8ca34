/**
 * Projection options: defaults, validation (one-line errors for the CLI and the app), and the
 * learning-rate schedule.
 */
import type { ModelConfig } from '../../shared/types';
import { invalid } from '../../shared/errors';
import { DEFAULT_WEIGHTS, type LossWeights } from './loss';

/** Seeds of projection starts live apart from training's streams (util/rng.ts Stream). */
export const INVERT_STREAM = 0x1a7e;

export interface ProjectionOptions {
  /** Most optimisation steps (default 500). */
  steps?: number;
  /** Random starts (default 4). With an unknown class, every start is tried with every class. */
  restarts?: number;
  seed?: number;
  /** Adam's peak step size on z (default 0.2; z's entries have unit scale). */
  learningRate?: number;
  weights?: Partial<LossWeights>;
  /** Conditional models: the class if known; null or absent searches all classes. */
  classIndex?: number | null;
  /** Keep z near the prior with the norm penalty (default) or by rescaling onto |z| = sqrt(d) after each step. */
  prior?: 'penalty' | 'shell';
  /** Noise added to z during the first 75% of steps, as a fraction of the prior's scale (default 0.3; 0 disables). */
  noise?: number;
  /** Early stop after this many steps without a relative improvement of `tolerance` (default 60, 1e-3). 0 disables. */
  patience?: number;
  tolerance?: number;
  /** Animation frames kept at most (default 60), evenly spread over the steps. */
  maxFrames?: number;
  /** Each run's loss is recorded every this many steps (default 5). */
  historyEvery?: number;
}

export interface Resolved {
  steps: number;
  restarts: number;
  seed: number;
  learningRate: number;
  weights: LossWeights;
  prior: 'penalty' | 'shell';
  noise: number;
  patience: number;
  tolerance: number;
  maxFrames: number;
  historyEvery: number;
}

export function resolveOptions(model: ModelConfig, o: ProjectionOptions): Resolved {
  const steps = o.steps ?? 500;
  const restarts = o.restarts ?? 4;
  if (!Number.isInteger(steps) || steps < 1 || steps > 100_000) throw invalid(`--steps must be an integer in 1..100000, got ${steps}`);
  if (!Number.isInteger(restarts) || restarts < 1 || restarts > 64)
    throw invalid(`--restarts must be an integer in 1..64, got ${restarts}`);
  const c = o.classIndex;
  if (c !== undefined && c !== null && (model.numClasses === 0 || !Number.isInteger(c) || c < 0 || c >= model.numClasses))
    throw invalid(
      model.numClasses === 0 ? 'This model has no classes' : `Class ${c} does not exist: this model has classes 0..${model.numClasses - 1}`,
    );
  const learningRate = o.learningRate ?? 0.2;
  if (!(learningRate > 0)) throw invalid(`The learning rate must be positive, got ${learningRate}`);
  const weights = { ...DEFAULT_WEIGHTS, ...o.weights };
  for (const [k, v] of Object.entries(weights)) if (!(v >= 0)) throw invalid(`Loss weight ${k} must be >= 0, got ${v}`);
  return {
    steps,
    restarts,
    seed: o.seed ?? 0,
    learningRate,
    weights,
    prior: o.prior ?? 'penalty',
    noise: o.noise ?? 0.3,
    patience: o.patience ?? 60,
    tolerance: o.tolerance ?? 1e-3,
    maxFrames: o.maxFrames ?? 60,
    historyEvery: Math.max(1, o.historyEvery ?? 5),
  };
}

/** Step size at step t of T: linear warm-up over 5%, cosine ramp-down over the last 25%. */
export function learningRateAt(base: number, t: number, total: number): number {
  const x = total > 1 ? t / (total - 1) : 0;
  const down = Math.min(1, (1 - x) / 0.25);
  const ramp = 0.5 - 0.5 * Math.cos(Math.PI * down);
  return base * Math.min(1, ramp + 0.02) * Math.min(1, (t + 1) / Math.max(1, 0.05 * total));
}

/** Std of the noise on z at step t of T: quadratic decay to 0 at 75% of the steps (StyleGAN2's projector). */
export function noiseAt(strength: number, t: number, total: number): number {
  const x = total > 1 ? t / (total - 1) : 1;
  return strength * Math.max(0, 1 - x / 0.75) ** 2;
}
