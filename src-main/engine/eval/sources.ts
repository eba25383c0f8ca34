/**
 * Image sources for feature extraction: dataset images by index, generated images by z, or an
 * array in memory. Read chunk by chunk, so 10,000 images of 64x64x3 never sit in memory as floats.
 */
import type { ModelConfig } from '../../shared/types';
import type { DatasetCache } from '../data/cache';
import type { Network } from '../models/network';
import { generateImages } from '../sampling/sampler';
import { tf } from '../backend/tf';
import type { RunControl } from './progress';
import { yieldToLoop } from './progress';

export interface ImageSource {
  count: number;
  /** Images [n, S, S, C] in [-1, 1] (NHWC floats) for indices [start, start + n) of this source. */
  read(start: number, n: number): Float32Array;
}

export const cacheSource = (cache: DatasetCache, indices: ArrayLike<number>): ImageSource => ({
  count: indices.length,
  read: (start, n) => cache.readBatch(Array.prototype.slice.call(indices, start, start + n) as number[]).images,
});

/** `count` images held in one array [count, S, S, C]. */
export function arraySource(images: Float32Array, count: number): ImageSource {
  const per = images.length / count;
  if (!Number.isInteger(per)) throw new Error(`arraySource: ${images.length} values are not ${count} whole images`);
  return { count, read: (start, n) => images.subarray(start * per, (start + n) * per) };
}

/** G's samples for flat z rows [n, zDim] (and labels for conditional models), in inference mode. */
export const generatorSource = (G: Network, model: ModelConfig, z: Float32Array, labels: number[] | null): ImageSource => ({
  count: z.length / model.zDim,
  read: (start, n) =>
    generateImages(G, model, z.subarray(start * model.zDim, (start + n) * model.zDim), labels ? labels.slice(start, start + n) : null),
});

/**
 * Runs `features` over a source in chunks and collects rows [count, dim].
 * `features` maps a chunk [B, S, S, C] to [B, dim]; it runs inside tf.tidy.
 */
export async function mapFeatures(
  source: ImageSource,
  model: { size: number; channels: number },
  dim: number,
  features: (x: tf.Tensor4D) => tf.Tensor2D,
  control: RunControl & { phase?: string; chunk?: number } = {},
): Promise<Float32Array> {
  const chunk = control.chunk ?? 128;
  const out = new Float32Array(source.count * dim);
  for (let start = 0; start < source.count; start += chunk) {
    if (control.gate) await control.gate();
    control.check?.();
    const n = Math.min(chunk, source.count - start);
    const pixels = source.read(start, n);
    const rows = tf.tidy(() => features(tf.tensor4d(pixels, [n, model.size, model.size, model.channels])));
    out.set(rows.dataSync(), start * dim);
    rows.dispose();
    control.onProgress?.({ phase: control.phase ?? 'Features', done: start + n, total: source.count });
    await yieldToLoop();
  }
  return out;
}
