/**
 * The evaluation split of a project's dataset: a seeded test set (never used to fit anything) and
 * the rest as the pool that labelled training examples, the FD classifier's training data and
 * the memorisation reference set are drawn from. The same seed always gives the same split, so
 * numbers from different runs, checkpoints and baselines are on identical images.
 */
import { deriveSeed, permutation, Rng } from '../util/rng';

/** Purpose tag for deriveSeed, apart from training's streams (util/rng.ts Stream). */
export const EVAL_STREAM = 101;
export const EvalPurpose = { split: 1, randomD: 2, fakes: 3, fdClassifier: 4, reference: 5 } as const;

export const evalSeed = (seed: number, purpose: number, ...more: number[]) => deriveSeed(seed, EVAL_STREAM, purpose, ...more);

export interface EvalSplit {
  /** Dataset indices of the test images, in a seeded random order. */
  test: Uint32Array;
  /** Indices outside the reserved test region, in a seeded random order. */
  pool: Uint32Array;
}

/** The largest test set: a fifth of the dataset, at most 10,000 images. */
export const maxTestSize = (count: number) => Math.min(10_000, Math.floor(count / 5));

/**
 * A seeded permutation of the dataset: its first maxTestSize(count) images are reserved for
 * testing (the test set is the first `testSize` of them), the rest is the pool. Reserving the
 * region keeps the pool identical whatever test size is asked for, so a classifier trained on
 * the pool never sees a test image of a later, larger evaluation.
 */
export function evalSplit(count: number, seed: number, testSize: number): EvalSplit {
  if (count < 10) throw new Error(`The dataset has ${count} images; evaluation needs at least 10`);
  const order = permutation(count, new Rng(evalSeed(seed, EvalPurpose.split)));
  const reserved = maxTestSize(count);
  return { test: order.slice(0, Math.max(1, Math.min(testSize, reserved))), pool: order.slice(reserved) };
}

/**
 * The first `n` indices of `pool` taken class by class in turn (0, 1, ..., K-1, 0, 1, ...), each
 * class in pool order: balanced while every class has examples left, then filled from the rest.
 * Prefixes nest: the N = 100 set is inside the N = 1000 set, so accuracy-vs-N compares like with like.
 */
export function balancedSubset(pool: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number, n: number): Uint32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < pool.length; i++) byClass[labels[pool[i]]]?.push(pool[i]);
  const out = new Uint32Array(Math.min(n, pool.length));
  const next = new Array<number>(numClasses).fill(0);
  let filled = 0;
  while (filled < out.length) {
    let progressed = false;
    for (let k = 0; k < numClasses && filled < out.length; k++) {
      if (next[k] < byClass[k].length) {
        out[filled++] = byClass[k][next[k]++];
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return out.slice(0, filled);
}

/** Per-class counts of the labels at `indices` (for reporting how balanced a subset is). */
export function classCounts(indices: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < indices.length; i++) counts[labels[indices[i]]]++;
  return counts;
}
