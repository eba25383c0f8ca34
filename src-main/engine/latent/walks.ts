/**
 * Key points of the other walks: seeded random walks, per-dimension sweeps, class paths.
 * Pure Float32Array math like interpolate.ts; the frames between key points come from there.
 */
import type { LatentDistribution } from '../../shared/types';
import { Rng } from '../util/rng';

/**
 * A seeded random walk of `steps` steps from `start` [d]; returns steps + 1 key points [d].
 *
 * A plain walk z += s * eps drifts outwards (|z|^2 grows by s^2 d per step) into regions G
 * never saw. Instead each step keeps the prior stationary, so the walk stays on its shell:
 * - normal prior: z' = sqrt(1 - s^2) z + s eps, eps ~ N(0, I) (an AR(1) step). If z ~ N(0, I) so
 *   is z', hence |z'| stays near sqrt(d); a start off the shell is pulled back to it.
 * - uniform prior U(-1, 1): z' = reflect(z + s u), u ~ U(-1, 1); reflection at the box's faces
 *   keeps the uniform distribution stationary and every z inside the support.
 * `stepSize` s in (0, 1]: each step moves about s * sqrt(d) (normal) or s * sqrt(d / 3) (uniform).
 */
export function randomWalk(start: Float32Array, steps: number, stepSize: number, seed: number, latent: LatentDistribution): Float32Array[] {
  if (!(stepSize > 0 && stepSize <= 1)) throw new Error(`stepSize must be in (0, 1], got ${stepSize}`);
  const rng = new Rng(seed);
  const points = [Float32Array.from(start)];
  const keep = Math.sqrt(1 - stepSize * stepSize);
  let z = points[0];
  for (let k = 0; k < steps; k++) {
    const next = new Float32Array(z.length);
    for (let i = 0; i < z.length; i++) {
      next[i] = latent === 'normal' ? keep * z[i] + stepSize * rng.normal() : reflect(z[i] + stepSize * (2 * rng.next() - 1));
    }
    points.push(next);
    z = next;
  }
  return points;
}

/** Folds x back into [-1, 1] as a mirror would. */
function reflect(x: number): number {
  // Period 4: [-1, 1] forwards, [1, 3] backwards.
  let y = (((x + 1) % 4) + 4) % 4;
  if (y > 2) y = 4 - y;
  return y - 1;
}

/**
 * `frames` copies of z [d] with z[dim] stepping evenly from range[0] to range[1] (both included):
 * what one input unit does to the image, everything else fixed. Returns `frames` rows of [d].
 */
export function dimensionSweep(z: Float32Array, dim: number, range: [number, number], frames: number): Float32Array[] {
  if (!Number.isInteger(dim) || dim < 0 || dim >= z.length)
    throw new Error(`Dimension ${dim} does not exist: z has dimensions 0..${z.length - 1}`);
  if (!Number.isInteger(frames) || frames < 2) throw new Error(`A sweep needs at least 2 frames, got ${frames}`);
  const [lo, hi] = range;
  return Array.from({ length: frames }, (_, k) => {
    const row = Float32Array.from(z);
    row[dim] = lo + ((hi - lo) * k) / (frames - 1);
    return row;
  });
}

/** One-hot row [numClasses] for class c. */
export function oneHotRow(c: number, numClasses: number): Float32Array {
  if (!Number.isInteger(c) || c < 0 || c >= numClasses)
    throw new Error(`Class ${c} does not exist: this model has classes 0..${numClasses - 1}`);
  const row = new Float32Array(numClasses);
  row[c] = 1;
  return row;
}
