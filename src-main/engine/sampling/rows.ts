/**
 * G on a slice of z rows, shared by this process (sampler.ts, read synchronously) and the compute
 * window (page-pictures.ts, read asynchronously). Browser-safe: the window's bundle imports it, so
 * nothing here may reach Node modules (files, sharp).
 */
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { generate, type Network } from '../models/network';

/**
 * G in inference mode on rows [start, start + count) of flat z rows [n, zDim] and label rows
 * [n, numClasses] (one-hot or soft; conditional models only): an NHWC tensor the caller reads and frees.
 */
export function generateChunk(
  G: Network,
  model: ModelConfig,
  z: Float32Array,
  labelRows: Float32Array | null,
  start: number,
  count: number,
): tf.Tensor {
  return tf.tidy(() => {
    const zt = tf.tensor2d(z.subarray(start * model.zDim, (start + count) * model.zDim), [count, model.zDim]);
    const k = model.numClasses;
    const onehot = k > 0 && labelRows ? tf.tensor2d(labelRows.subarray(start * k, (start + count) * k), [count, k]) : null;
    return generate(G, zt, onehot, { training: false });
  });
}
