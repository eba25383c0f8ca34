/**
 * The discriminator as a feature extractor (paper Sec. 5.1): every hidden conv layer of D
 * (d1..dn, after BatchNorm and LeakyReLU) is max-pooled to a 4 x 4 grid, flattened and
 * concatenated. D's last layer is a single logit, not a feature map, so it is left out.
 * BatchNorm runs on its moving statistics, so a feature depends only on its own image.
 *
 * Conditional projects: D also takes the label as K constant input maps. Feeding the true label
 * would leak the answer into the features the classifier is scored on, so D gets all-zero label
 * maps (no class information) — the features then describe the image alone.
 */
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { discriminatorSpec, type LayerSpec } from '../models/architecture';
import { discriminate, type Network } from '../models/network';
import { adaptiveMaxPool } from './pooling';
import type { RunControl } from './progress';
import { mapFeatures, type ImageSource } from './sources';

export const FEATURE_GRID = 4;

/** The layers whose activations become features: every layer of D with a spatial map. */
export function featureLayers(model: ModelConfig): LayerSpec[] {
  return discriminatorSpec(model).filter((l) => l.outSize > 1);
}

/** Length of one image's feature vector: sum over layers of 4 * 4 * channels. */
export function dFeatureDim(model: ModelConfig): number {
  return featureLayers(model).reduce((sum, l) => sum + FEATURE_GRID * FEATURE_GRID * l.outChannels, 0);
}

/** Pooled features of a batch: images [B, S, S, C] -> [B, dFeatureDim]. Call inside tf.tidy. */
export function dFeatureBatch(D: Network, model: ModelConfig, images: tf.Tensor4D): tf.Tensor2D {
  const wanted = new Set(featureLayers(model).map((l) => l.name));
  const batch = images.shape[0];
  const parts: tf.Tensor2D[] = [];
  const labels = model.numClasses > 0 ? (tf.zeros([batch, model.numClasses]) as tf.Tensor2D) : null;
  discriminate(D, images, labels, {
    training: false,
    tap: (name, activation) => {
      if (wanted.has(name)) parts.push(tf.reshape(adaptiveMaxPool(activation, FEATURE_GRID), [batch, -1]));
    },
  });
  return tf.concat(parts, 1) as tf.Tensor2D;
}

/** D features of every image of a source: [count, dFeatureDim] row-major. */
export function extractDFeatures(
  D: Network,
  model: ModelConfig,
  source: ImageSource,
  control: RunControl & { phase?: string; chunk?: number } = {},
): Promise<Float32Array> {
  return mapFeatures(source, model, dFeatureDim(model), (x) => dFeatureBatch(D, model, x), control);
}

/** Raw pixels as features (the baseline the paper's Table 1 also reports): [count, S*S*C]. */
export async function extractPixels(
  source: ImageSource,
  control: RunControl & { phase?: string; chunk?: number } = {},
): Promise<Float32Array> {
  const dim = source.count ? source.read(0, 1).length : 0;
  const out = new Float32Array(source.count * dim);
  const chunk = control.chunk ?? 512;
  for (let start = 0; start < source.count; start += chunk) {
    control.check?.();
    const n = Math.min(chunk, source.count - start);
    out.set(source.read(start, n), start * dim);
    control.onProgress?.({ phase: control.phase ?? 'Pixels', done: start + n, total: source.count });
  }
  return out;
}
