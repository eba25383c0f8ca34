/**
 * Regularised linear classifiers on fixed features (paper Sec. 5.1: "a regularized linear L2-SVM
 * classifier" on D's features), tf-free and deterministic:
 *  - 'l2svm': one-vs-rest squared hinge, the loss of the official code's sklearn LinearSVC;
 *  - 'logistic': multinomial (softmax) logistic regression.
 * Objective: mean loss over the n examples + (lambda / 2) ||W||^2 (biases unregularised), minimised
 * by full-batch L-BFGS. Features are standardised with the training examples' mean and standard
 * deviation, so one lambda grid suits pixels, random-D and trained-D features alike.
 */
import { minimizeLbfgsAsync, type Objective } from './lbfgs';

export type LinearLoss = 'l2svm' | 'logistic';

export interface LinearModel {
  loss: LinearLoss;
  numClasses: number;
  d: number;
  lambda: number;
  /** Standardisation fitted on the training examples: x' = (x - mean) / scale. */
  mean: Float64Array;
  scale: Float64Array;
  /** [K * d + K]: weights [K, d] row-major, then K biases. */
  theta: Float64Array;
}

export interface FitOptions {
  loss: LinearLoss;
  /** How the objective is evaluated (default: plain JS; tfjs in the worker for speed). */
  objective?: ObjectiveFactory;
  lambda: number;
  maxIterations?: number;
  /** Warm start from another solution over the same standardised features. */
  init?: Float64Array;
  /** Called between L-BFGS iterations; may throw to abort (cancellation). */
  check?: () => void;
}

/** Per-feature mean and standard deviation of rows [n, d]; constant features get scale 1. */
export function fitStandardizer(rows: Float32Array, n: number, d: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = rows[i * d + j] - mean[j];
      sq[j] += c * c;
    }
  }
  const scale = sq.map((s) => {
    const std = Math.sqrt(s / Math.max(1, n));
    return std > 1e-8 ? std : 1;
  });
  return { mean, scale };
}

/** Applies a standardisation: a new Float32Array [n, d]. */
export function standardize(rows: Float32Array, n: number, d: number, mean: Float64Array, scale: Float64Array): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = (rows[i * d + j] - mean[j]) / scale[j];
  return out;
}

/**
 * Loss of one example from its K scores (at `scores[o..o+K)`), writing d loss / d score into
 * `dScores[o..o+K)`: the part of the objective shared by the JS and the tfjs evaluations.
 */
export function exampleLoss(
  scores: ArrayLike<number>,
  dScores: Float64Array | Float32Array,
  o: number,
  K: number,
  label: number,
  loss: LinearLoss,
): number {
  let total = 0;
  if (loss === 'l2svm') {
    for (let k = 0; k < K; k++) {
      const sign = k === label ? 1 : -1;
      const margin = 1 - sign * scores[o + k];
      if (margin > 0) {
        total += margin * margin;
        dScores[o + k] = -2 * sign * margin;
      } else dScores[o + k] = 0;
    }
    return total;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) max = Math.max(max, scores[o + k]);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp(scores[o + k] - max);
  const logSum = max + Math.log(sum);
  for (let k = 0; k < K; k++) dScores[o + k] = Math.exp(scores[o + k] - logSum) - (k === label ? 1 : 0);
  return logSum - scores[o + label];
}

/** Adds (lambda / 2) ||W||^2 to a value and lambda W to its gradient (biases, the last K entries, are free). */
export function addL2(theta: Float64Array, grad: Float64Array, weights: number, lambda: number): number {
  let reg = 0;
  for (let j = 0; j < weights; j++) {
    reg += theta[j] * theta[j];
    grad[j] += lambda * theta[j];
  }
  return 0.5 * lambda * reg;
}

/** Builds the objective for standardised rows x [n, d] and labels y [n] (JS or tfjs implementation). */
export type ObjectiveFactory = (
  x: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  numClasses: number,
  loss: LinearLoss,
  lambda: number,
) => Objective & { dispose?: () => void };

/** The training objective over standardised rows x [n, d] and labels y [n] in 0..K-1, in plain JS. */
export const linearObjective: ObjectiveFactory = (x, y, n, d, numClasses, loss, lambda) => {
  const K = numClasses;
  const scores = new Float64Array(K);
  const dScores = new Float64Array(K);
  return (theta, grad) => {
    grad.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      for (let k = 0; k < K; k++) {
        const w = k * d;
        let s = theta[K * d + k];
        for (let j = 0; j < d; j++) s += theta[w + j] * x[o + j];
        scores[k] = s;
      }
      total += exampleLoss(scores, dScores, 0, K, y[i], loss);
      for (let k = 0; k < K; k++) {
        const c = dScores[k] / n;
        if (c === 0) continue; // most one-vs-rest hinge terms are inactive: skip their d-long update
        const w = k * d;
        for (let j = 0; j < d; j++) grad[w + j] += c * x[o + j];
        grad[K * d + k] += c;
      }
    }
    return total / n + addL2(theta, grad, K * d, lambda);
  };
};

// jscpd:ignore-start -- fitLinear and fitStandardized are two doors to one fit and take the same arguments by design.
/** Fits a classifier on raw rows [n, d] with labels in 0..numClasses-1. */
export async function fitLinear(
  rows: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  d: number,
  numClasses: number,
  options: FitOptions,
): Promise<LinearModel> {
  const { mean, scale } = fitStandardizer(rows, n, d);
  const x = standardize(rows, n, d, mean, scale);
  const theta = await fitStandardized(x, labels, n, d, numClasses, options);
  return { loss: options.loss, numClasses, d, lambda: options.lambda, mean, scale, theta };
}

/** Fits on already standardised rows; returns theta [K * d + K]. */
export async function fitStandardized(
  x: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  d: number,
  numClasses: number,
  options: FitOptions,
): Promise<Float64Array> {
  // jscpd:ignore-end
  for (let i = 0; i < n; i++) {
    if (!(labels[i] >= 0 && labels[i] < numClasses)) throw new Error(`Label ${labels[i]} of example ${i} is outside 0..${numClasses - 1}`);
  }
  const objective = (options.objective ?? linearObjective)(x, labels, n, d, numClasses, options.loss, options.lambda);
  const init = options.init ?? new Float64Array(numClasses * d + numClasses);
  try {
    // Tolerances for classification, not for the optimum's last digits: tighter ones cost 2x the
    // iterations and change no test prediction (measured on MNIST features).
    const result = await minimizeLbfgsAsync(objective, init, {
      maxIterations: options.maxIterations ?? 300,
      gradTol: 1e-5,
      fTol: 1e-7,
      check: options.check,
    });
    return result.x;
  } finally {
    objective.dispose?.();
  }
}

/** Predicted class per row of raw rows [n, d]. */
export function predictLinear(model: LinearModel, rows: Float32Array, n: number): Int32Array {
  const { d, numClasses: K, theta, mean, scale } = model;
  const out = new Int32Array(n);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) z[j] = (rows[i * d + j] - mean[j]) / scale[j];
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = theta[K * d + k];
      for (let j = 0; j < d; j++) s += theta[k * d + j] * z[j];
      if (s > bestScore) {
        bestScore = s;
        best = k;
      }
    }
    out[i] = best;
  }
  return out;
}

export function accuracy(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (predicted.length === 0) return NaN;
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === truth[i]) right++;
  return right / predicted.length;
}
