/**
 * Choosing the classifier's regularisation on held-out labelled data, as the official DCGAN code
 * did (svhn_semisup_analysis.py cross-validates LinearSVC's C on a validation set): a lambda path
 * from strong to weak, each fit warm-started from the previous, scored on a per-class holdout of
 * the N labelled examples; then a final fit on all N with the winning lambda.
 */
import {
  accuracy,
  fitStandardized,
  fitStandardizer,
  predictLinear,
  standardize,
  type LinearLoss,
  type LinearModel,
  type ObjectiveFactory,
} from './linear-classifier';

/** Strong to weak (the path's order); ties keep the stronger one. */
export const LAMBDA_GRID = [100, 10, 1, 1e-1, 1e-2, 1e-3] as const;
/** Used when N is too small to hold any examples out. */
export const DEFAULT_LAMBDA = 1e-2;
/** Lambda is chosen on at most this many examples, so N = 10,000 costs one big fit, not six. */
export const SELECTION_LIMIT = 2000;

export interface ValidatedFit {
  model: LinearModel;
  lambda: number;
  /** Holdout accuracy per lambda tried; empty when N was too small to validate. */
  path: { lambda: number; accuracy: number }[];
}

/**
 * Every 5th example of each class (in the given order) goes to validation; classes with fewer
 * than 2 examples stay whole in training.
 */
export function holdoutMask(labels: ArrayLike<number>, n: number): Uint8Array {
  const seen = new Map<number, number>();
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = seen.get(labels[i]) ?? 0;
    seen.set(labels[i], c + 1);
    if (counts.get(labels[i])! >= 2 && c % 5 === 4) mask[i] = 1;
  }
  return mask;
}

function pick(rows: Float32Array, labels: ArrayLike<number>, d: number, mask: Uint8Array, want: number) {
  const idx: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === want) idx.push(i);
  const x = new Float32Array(idx.length * d);
  idx.forEach((src, dst) => x.set(rows.subarray(src * d, (src + 1) * d), dst * d));
  return { x, y: Int32Array.from(idx, (i) => labels[i]), n: idx.length };
}

/** Fits a classifier on rows [n, d], choosing lambda on a holdout of the first SELECTION_LIMIT examples. */
export async function fitWithValidation(
  rows: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  d: number,
  numClasses: number,
  options: { loss: LinearLoss; lambdas?: readonly number[]; check?: () => void; maxIterations?: number; objective?: ObjectiveFactory },
): Promise<ValidatedFit> {
  const { loss, check, objective } = options;
  const lambdas = options.lambdas ?? LAMBDA_GRID;
  const sel = Math.min(n, SELECTION_LIMIT);
  const mask = holdoutMask(labels, sel);
  const train = pick(rows.subarray(0, sel * d), labels, d, mask, 0);
  const valid = pick(rows.subarray(0, sel * d), labels, d, mask, 1);
  const path: ValidatedFit['path'] = [];
  let lambda = DEFAULT_LAMBDA;
  let init: Float64Array | undefined;
  if (valid.n > 0 && train.n >= 2) {
    const { mean, scale } = fitStandardizer(train.x, train.n, d);
    const xt = standardize(train.x, train.n, d, mean, scale);
    let best = -1;
    let worse = 0;
    let theta: Float64Array | undefined;
    for (const l of lambdas) {
      theta = await fitStandardized(xt, train.y, train.n, d, numClasses, {
        loss,
        lambda: l,
        init: theta,
        check,
        objective,
        maxIterations: 100,
      });
      const model: LinearModel = { loss, numClasses, d, lambda: l, mean, scale, theta };
      const acc = accuracy(predictLinear(model, valid.x, valid.n), valid.y);
      path.push({ lambda: l, accuracy: acc });
      if (acc > best) {
        best = acc;
        lambda = l;
        init = theta;
        worse = 0;
      } else if (++worse === 2) break; // past the optimum: weaker lambdas only overfit more (and converge slower)
    }
  }
  const { mean, scale } = fitStandardizer(rows, n, d);
  const x = standardize(rows, n, d, mean, scale);
  const theta = await fitStandardized(x, labels, n, d, numClasses, {
    loss,
    lambda,
    init,
    check,
    objective,
    maxIterations: options.maxIterations,
  });
  return { model: { loss, numClasses, d, lambda, mean, scale, theta }, lambda, path };
}
