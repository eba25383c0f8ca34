/**
 * The math of latent vector arithmetic (DCGAN paper Sec. 6.3), on plain Float32Arrays: concept
 * means, weighted combinations, the 3x3 noise grid, pixel-space arithmetic, direction vectors.
 * No tfjs here: z is 100 numbers, and the same code serves the engine, the worker and the CLI.
 */
import { deriveSeed, Rng } from '../util/rng';

/** Stream id for the grid noise: arithmetic noise never shares draws with sampling or training. */
const ARITH_NOISE_STREAM = 0x61726974; // 'arit'
/** Cells in the paper's grid; the centre (index 4) is Y itself. */
export const GRID_CELLS = 9;
export const GRID_CENTRE = 4;

/**
 * Mean of equal-length vectors. The paper averages three exemplars per concept because single
 * samples gave unstable results: the mean cancels each sample's idiosyncrasies.
 * @param rows k vectors of length d. @returns [d]
 */
export function meanVector(rows: ArrayLike<number>[]): Float32Array {
  if (rows.length === 0) throw new Error('a concept needs at least one sample to have a mean');
  const d = rows[0].length;
  const out = new Float64Array(d);
  for (const row of rows) {
    if (row.length !== d) throw new Error(`vectors differ in length (${row.length} vs ${d})`);
    for (let i = 0; i < d; i++) out[i] += row[i];
  }
  return Float32Array.from(out, (v) => v / rows.length);
}

/**
 * Weighted sum: Y = sum_i w_i * v_i (A - B + C is weights 1, -1, 1).
 * @param terms vectors of length d. @returns [d]
 */
export function combine(terms: { weight: number; vector: ArrayLike<number> }[]): Float32Array {
  if (terms.length === 0) throw new Error('nothing to combine');
  const d = terms[0].vector.length;
  const out = new Float64Array(d);
  for (const { weight, vector } of terms) {
    if (vector.length !== d) throw new Error(`vectors differ in length (${vector.length} vs ${d})`);
    for (let i = 0; i < d; i++) out[i] += weight * vector[i];
  }
  return Float32Array.from(out);
}

/**
 * The paper's Fig. 7 grid: the centre is Y, the 8 neighbours Y + U(-scale, scale) per dimension,
 * so the user sees whether the concept is a region of z-space or a lucky point. Reproducible:
 * the same (y, scale, seed) always gives the same rows.
 * @param y [d] @returns [9 * d] row-major, row 4 = y.
 */
export function noiseGrid(y: ArrayLike<number>, scale: number, seed: number): Float32Array {
  const d = y.length;
  const out = new Float32Array(GRID_CELLS * d);
  const rng = new Rng(deriveSeed(seed, ARITH_NOISE_STREAM));
  for (let cell = 0; cell < GRID_CELLS; cell++) {
    for (let i = 0; i < d; i++) {
      // The centre draws nothing, so each neighbour's noise does not depend on its position's parity.
      const noise = cell === GRID_CENTRE ? 0 : scale * (2 * rng.next() - 1);
      out[cell * d + i] = y[i] + noise;
    }
  }
  return out;
}

/**
 * Arithmetic on pixels, the paper's foil: the mean image of each concept, combined with the same
 * weights, clipped to G's output range [-1, 1]. It produces ghostly overlays, not a new face.
 * @param terms each `images` is [count * pixels] NHWC floats in [-1, 1]. @returns [pixels]
 */
export function pixelArithmetic(terms: { weight: number; images: Float32Array; count: number }[], pixels: number): Float32Array {
  const out = new Float32Array(pixels);
  for (const { weight, images, count } of terms) {
    const mean = meanImage(images, count, pixels);
    for (let i = 0; i < pixels; i++) out[i] += weight * mean[i];
  }
  for (let i = 0; i < pixels; i++) out[i] = out[i] < -1 ? -1 : out[i] > 1 ? 1 : out[i];
  return out;
}

/** Per-pixel mean of `count` images. @param images [count * pixels] @returns [pixels] */
export function meanImage(images: Float32Array, count: number, pixels: number): Float32Array {
  if (images.length !== count * pixels) throw new Error(`expected ${count} images of ${pixels} values, got ${images.length} values`);
  const out = new Float32Array(pixels);
  for (let n = 0; n < count; n++) for (let i = 0; i < pixels; i++) out[i] += images[n * pixels + i];
  for (let i = 0; i < pixels; i++) out[i] /= count;
  return out;
}

/**
 * Labels of a conditional model combined like z: the same weights on each concept's mean
 * one-hot, negatives clipped and renormalised to a distribution (smiling-woman digits of class 3
 * minus neutral 3s plus neutral 5s should come out as a 5). Null when unconditional.
 * @param labels per term, its members' class indices. @returns [numClasses] summing to 1.
 */
export function combineLabels(terms: { weight: number; labels: (number | null | undefined)[] }[], numClasses: number): number[] | null {
  if (numClasses === 0) return null;
  const out = new Float64Array(numClasses);
  for (const { weight, labels } of terms) {
    const known = labels.filter((l): l is number => typeof l === 'number');
    for (const l of known) out[l] += weight / known.length;
  }
  let sum = 0;
  for (let k = 0; k < numClasses; k++) sum += out[k] = Math.max(0, out[k]);
  // Everything cancelled: no class is favoured, so G sees the average label.
  return Array.from(out, (v) => (sum > 1e-9 ? v / sum : 1 / numClasses));
}

/**
 * A semantic direction, e.g. the paper's Fig. 8 "turn" vector: mean(left-facing) - mean(right-facing).
 * @returns [d]
 */
export function directionVector(a: ArrayLike<number>[], b: ArrayLike<number>[]): Float32Array {
  return combine([
    { weight: 1, vector: meanVector(a) },
    { weight: -1, vector: meanVector(b) },
  ]);
}

/** base + strength * direction, one row per strength. @returns [strengths.length * d] */
export function applyDirection(base: ArrayLike<number>, direction: ArrayLike<number>, strengths: number[]): Float32Array {
  const d = base.length;
  if (direction.length !== d) throw new Error(`the direction has ${direction.length} numbers, the base z ${d}`);
  const out = new Float32Array(strengths.length * d);
  strengths.forEach((s, row) => {
    for (let i = 0; i < d; i++) out[row * d + i] = base[i] + s * direction[i];
  });
  return out;
}
