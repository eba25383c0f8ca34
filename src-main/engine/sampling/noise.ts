/** Latent vectors and labels, always from a seed so every image can be regenerated. */
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { Rng } from '../util/rng';

/** n latent vectors as flat rows: z ~ N(0, 1) or U(-1, 1) per the project's setting. */
export function latentVectors(model: Pick<ModelConfig, 'zDim' | 'latent'>, n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * model.zDim);
  return model.latent === 'uniform' ? rng.fillUniform(out, -1, 1) : rng.fillNormal(out);
}

/** [n, zDim] tensor of latent vectors for `seed`. */
export function latentBatch(model: Pick<ModelConfig, 'zDim' | 'latent'>, n: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(latentVectors(model, n, seed), [n, model.zDim]);
}

/** n class indices drawn uniformly from 0..numClasses-1 (the fake batch's labels under the 'random' scheme). */
export function randomLabels(n: number, numClasses: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n }, () => rng.int(numClasses));
}

/** [n, K] one-hot rows for integer labels. */
export function oneHot(labels: ArrayLike<number>, numClasses: number): tf.Tensor2D {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) out[i * numClasses + labels[i]] = 1;
  return tf.tensor2d(out, [labels.length, numClasses]);
}
