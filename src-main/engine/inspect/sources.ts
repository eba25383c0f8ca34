/**
 * Where inspected samples come from, always reproducibly: generated tile i of a seed is tile i of
 * `generate({ seed })` (same z stream, same class rule), and a pool of real images is a seeded
 * draw from the project's dataset cache.
 */
import type { ModelConfig } from '../../shared/types';
import type { DatasetCache } from '../data/cache';
import type { Project } from '../project/project';
import { latentVectors } from '../sampling/noise';
import { gridLabels } from '../sampling/sampler';
import { deriveSeed, permutation, Rng, Stream } from '../util/rng';

/** Purpose id for the real-image pools of the inspect views (apart from training's streams). */
const REAL_POOL_STREAM = 101;

export interface LatentRows {
  /** n x zDim, flat. */
  z: Float32Array;
  labels: number[] | null;
}

/**
 * z rows and labels of tiles `indices` of `generate({ seed, classIndex })`.
 * Rows are drawn one value at a time from one stream, so tile i does not depend on the count.
 */
export function generatedRows(model: ModelConfig, seed: number, indices: number[], classIndex?: number): LatentRows {
  const n = indices.length ? Math.max(...indices) + 1 : 0;
  const all = latentVectors(model, n, deriveSeed(seed, Stream.sample));
  const z = new Float32Array(indices.length * model.zDim);
  indices.forEach((i, r) => z.set(all.subarray(i * model.zDim, (i + 1) * model.zDim), r * model.zDim));
  const allLabels = gridLabels(model, n, classIndex);
  return { z, labels: allLabels && indices.map((i) => allLabels[i]) };
}

export const firstIndices = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Opens the project's dataset cache (real images for D), with a clear error when it is gone. */
export function openProjectDataset(project: Project): DatasetCache {
  // Positioned reads only: inspection touches a few hundred images, never the whole cache.
  return project.openDataset({ inMemoryLimitBytes: 0 });
}

/** `n` distinct dataset indices drawn for `seed` (all of them when the dataset is smaller), sorted. */
export function realPool(count: number, n: number, seed: number): number[] {
  if (n >= count) return firstIndices(count);
  const perm = permutation(count, new Rng(deriveSeed(seed, REAL_POOL_STREAM)));
  return Array.from(perm.subarray(0, n)).sort((a, b) => a - b);
}

/** Dataset label of a real image as the model sees it: null for an unconditional model. */
export function realLabels(model: ModelConfig, labels: Int32Array): number[] | null {
  return model.numClasses > 0 ? Array.from(labels) : null;
}
