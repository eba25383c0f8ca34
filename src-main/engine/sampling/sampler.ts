/**
 * Inference with G: the fixed-noise preview grid during training, and seeded samples for the
 * app and the CLI. Always in inference mode (BatchNorm moving statistics), so an image depends
 * only on its z and label, never on the rest of its batch.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelConfig, ProjectConfig, SampleBatch } from '../../shared/types';
import type { Network } from '../models/network';
import { deriveSeed, Stream } from '../util/rng';
import { writeFileAtomic } from '../project/atomic';
import type { Drawer } from './drawer';
import { encodePng, imagesToGrid } from './grid';
import { generateChunk } from './rows';
import { latentVectors } from './noise';

export const FIXED_GRID_COUNT = 64;

/**
 * Runs G on flat z rows [n, zDim] with label rows [n, numClasses] (one-hot or soft; conditional
 * models only), `chunk` rows per call; returns NHWC floats in [-1, 1]. Every way of drawing images
 * on this process's backend (grids, gallery tiles, walk frames) goes through here.
 */
export function generateRows(G: Network, model: ModelConfig, z: Float32Array, labelRows: Float32Array | null, chunk = 64): Float32Array {
  const n = z.length / model.zDim;
  const pixels = model.size * model.size * model.channels;
  const out = new Float32Array(n * pixels);
  for (let start = 0; start < n; start += chunk) {
    const images = generateChunk(G, model, z, labelRows, start, Math.min(chunk, n - start));
    out.set(images.dataSync(), start * pixels);
    images.dispose();
  }
  return out;
}

/** Class indices as one-hot label rows (null for an unconditional model or no labels). */
export function oneHotRows(labels: number[] | null, numClasses: number): Float32Array | null {
  if (numClasses === 0 || !labels) return null;
  const rows = new Float32Array(labels.length * numClasses);
  labels.forEach((c, i) => (rows[i * numClasses + c] = 1));
  return rows;
}

/** generateRows with class indices (one per row) instead of label rows. */
export function generateImages(G: Network, model: ModelConfig, z: Float32Array, labels: number[] | null, chunk = 64): Float32Array {
  return generateRows(G, model, z, oneHotRows(labels, model.numClasses), chunk);
}

/** Labels for a grid of n: a fixed class, or classes in turn so every class shows. */
export function gridLabels(model: ModelConfig, n: number, classIndex?: number): number[] | null {
  if (model.numClasses === 0) return null;
  if (classIndex !== undefined && classIndex >= model.numClasses) {
    throw new Error(`Class ${classIndex} does not exist: this model has classes 0..${model.numClasses - 1}`);
  }
  return Array.from({ length: n }, (_, i) => classIndex ?? i % model.numClasses);
}

/** Samples `count` images for `seed` with `drawer` (this process or the compute window); returns the PNG grid and the z rows used. */
export async function sampleBatch(
  drawer: Drawer,
  model: ModelConfig,
  count: number,
  seed: number,
  classIndex?: number,
): Promise<SampleBatch> {
  const z = latentVectors(model, count, deriveSeed(seed, Stream.sample));
  const labels = gridLabels(model, count, classIndex);
  const images = await drawer.images(z, oneHotRows(labels, model.numClasses));
  const png = await encodePng(imagesToGrid(images, count, model.size, model.channels));
  const rows: number[][] = [];
  for (let i = 0; i < count; i++) rows.push(Array.from(z.subarray(i * model.zDim, (i + 1) * model.zDim)));
  return { pngBase64: png.toString('base64'), z: rows, ...(labels && { labels }), seed };
}

/** The same 64 z for the whole run (derived from the project seed), so grids show progress, not noise. */
export function fixedGridInputs(config: ProjectConfig): { z: Float32Array; labels: number[] | null } {
  return {
    z: latentVectors(config.model, FIXED_GRID_COUNT, deriveSeed(config.train.seed, Stream.fixedNoise)),
    labels: gridLabels(config.model, FIXED_GRID_COUNT),
  };
}

/** Writes the fixed grid's images (G's answer to fixedGridInputs) as the PNG at `file`. */
export async function writeFixedGrid(images: Float32Array, config: ProjectConfig, file: string): Promise<void> {
  const scale = config.model.size <= 32 ? 2 : 1;
  const png = await encodePng(imagesToGrid(images, FIXED_GRID_COUNT, config.model.size, config.model.channels), scale);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, png);
}
