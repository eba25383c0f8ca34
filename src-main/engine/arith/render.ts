/** G on flat rows (z + soft label rows) and single-tile PNGs, for the arithmetic views. */
import type { ModelConfig } from '../../shared/types';
import { renderFrames } from '../latent/render';
import type { Network } from '../models/network';
import { encodePng, imagesToGrid } from '../sampling/grid';

/**
 * G on flat rows, through the walks' renderer (inference mode: moving BatchNorm statistics, so a
 * row's image never depends on the other rows). Labels are per-row distributions, one-hot or
 * soft: the arithmetic's combined label is a mixture.
 * @param z [n * zDim] @param labels [n * numClasses] or null when unconditional
 * @returns [n * size * size * channels] NHWC floats in [-1, 1]
 */
export function renderRows(G: Network, model: ModelConfig, z: Float32Array, labels: Float32Array | null): Float32Array {
  const n = z.length / model.zDim;
  const k = model.numClasses;
  const frames = Array.from({ length: n }, (_, i) => ({
    z: z.subarray(i * model.zDim, (i + 1) * model.zDim),
    label: k > 0 && labels ? labels.subarray(i * k, (i + 1) * k) : null,
  }));
  // One call for the whole figure (members, means and grid are ~20 rows).
  return renderFrames(G, model, frames, 64);
}

/** Label rows for class indices (null/absent -> zeros, only possible for unconditional models). */
export function labelRows(labels: (number | null | undefined)[], numClasses: number): Float32Array | null {
  if (numClasses === 0) return null;
  const out = new Float32Array(labels.length * numClasses);
  labels.forEach((l, i) => {
    if (typeof l === 'number') out[i * numClasses + l] = 1;
  });
  return out;
}

/** Each image of a batch as its own PNG (base64), no border. @param images [n * pixels] */
export async function tilePngs(images: Float32Array, model: ModelConfig): Promise<string[]> {
  const pixels = model.size * model.size * model.channels;
  const n = images.length / pixels;
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const one = images.subarray(i * pixels, (i + 1) * pixels);
      const png = await encodePng(imagesToGrid(one, 1, model.size, model.channels, { pad: 0 }));
      return png.toString('base64');
    }),
  );
}
