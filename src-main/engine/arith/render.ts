/** G on arbitrary rows (z + soft label rows) and single-tile PNGs, for the arithmetic views. */
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { generate, type Network } from '../models/network';
import { encodePng, imagesToGrid } from '../sampling/grid';

const CHUNK = 64;

/**
 * Runs G in inference mode on flat z rows with per-row label distributions (one-hot or soft:
 * the arithmetic's combined label is a mixture). BatchNorm uses moving statistics, so a row's
 * image never depends on the other rows of its batch.
 * @param z [n * zDim] @param labels [n * numClasses] or null when unconditional
 * @returns [n * size * size * channels] NHWC floats in [-1, 1]
 */
export function renderRows(G: Network, model: ModelConfig, z: Float32Array, labels: Float32Array | null): Float32Array {
  const n = z.length / model.zDim;
  const pixels = model.size * model.size * model.channels;
  if (model.numClasses > 0 && (!labels || labels.length !== n * model.numClasses)) {
    throw new Error(`a conditional model needs a label row of ${model.numClasses} per z`);
  }
  const out = new Float32Array(n * pixels);
  for (let start = 0; start < n; start += CHUNK) {
    const count = Math.min(CHUNK, n - start);
    const images = tf.tidy(() => {
      const zt = tf.tensor2d(z.subarray(start * model.zDim, (start + count) * model.zDim), [count, model.zDim]);
      const k = model.numClasses;
      const onehot = k > 0 && labels ? tf.tensor2d(labels.subarray(start * k, (start + count) * k), [count, k]) : null;
      return generate(G, zt, onehot, { training: false });
    });
    out.set(images.dataSync(), start * pixels);
    images.dispose();
  }
  return out;
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
