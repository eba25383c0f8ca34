/**
 * The tfjs pieces a layer is made of that tfjs does not name directly: exact GELU, PyTorch-style
 * padding for (transposed) convolutions, nearest upsampling, dropout. All are compositions of
 * differentiable tfjs ops, so gradients (training, guided backprop) come for free.
 */
import type { LayerSpec } from '../../shared/types';
import { tf } from '../backend/tf';

/** GELU as PyTorch's nn.GELU() computes it (exact, erf-based): x * Phi(x). */
export function gelu(x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** Nearest-neighbour upsampling by an integer factor, as nn.Upsample(scale_factor=f) (source pixel floor(dst / f)). */
export function upsampleNearest(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  if (factor === 1) return x;
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x, [h * factor, w * factor], false, false);
}

/**
 * Inverted dropout (kept units scaled by 1/(1-rate)), seeded so a training step is reproducible.
 * `spatial`: one draw per feature map and image (Dropout2d), else one per value.
 */
export function dropout(x: tf.Tensor4D, rate: number, spatial: boolean, seed: number): tf.Tensor4D {
  if (rate === 0) return x;
  const [b, , , c] = x.shape;
  const shape = spatial ? [b, 1, 1, c] : x.shape;
  const keep = tf.cast(tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', seed), rate), 'float32');
  return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
}

/** conv2d with 'same'/'valid' or PyTorch's symmetric zero padding p (padded explicitly, then 'valid'). */
export function conv(x: tf.Tensor4D, w: tf.Tensor4D, layer: LayerSpec): tf.Tensor4D {
  const { stride, padding } = layer;
  if (typeof padding !== 'number') return tf.conv2d(x, w, stride, padding);
  const padded =
    padding > 0
      ? tf.pad(x, [
          [0, 0],
          [padding, padding],
          [padding, padding],
          [0, 0],
        ])
      : x;
  return tf.conv2d(padded, w, stride, 'valid');
}

/**
 * conv2dTranspose with 'same'/'valid' or PyTorch's padding p: the 'valid' output ((i-1)*s+k)
 * with p rows and columns cropped from every side, which is what ConvTranspose2d(padding=p) does.
 */
export function deconv(x: tf.Tensor4D, w: tf.Tensor4D, layer: LayerSpec): tf.Tensor4D {
  const { stride, padding, outSize, outChannels } = layer;
  const batch = x.shape[0];
  if (typeof padding !== 'number') {
    return tf.conv2dTranspose(x, w, [batch, outSize, outSize, outChannels], stride, padding);
  }
  const full = outSize + 2 * padding;
  const y = tf.conv2dTranspose(x, w, [batch, full, full, outChannels], stride, 'valid');
  return padding > 0 ? tf.slice(y, [0, padding, padding, 0], [batch, outSize, outSize, outChannels]) : y;
}

/** Flattened rows [B, n] of a map (HWC order), or its global average over H and W. */
export function flatten(x: tf.Tensor, globalPool: boolean): tf.Tensor2D {
  if (globalPool) return tf.mean(x, [1, 2]) as tf.Tensor2D;
  return tf.reshape(x, [x.shape[0], -1]);
}
