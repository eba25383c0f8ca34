/**
 * The projection objective, per row of a batch of candidate z (one row per restart):
 *
 *   loss(z) = w_pixel * mean((G(z) - t)^2)
 *           + w_perceptual * mean_l [ mean((F_l(G(z)) - F_l(t))^2) / mean(F_l(t)^2) ]
 *           + w_prior * (|z| / sqrt(d) - 1)^2
 *
 * Pixel L2 alone is satisfied by blurry averages; a perceptual term compares images as a trained
 * network sees them (Johnson et al. 2016, Zhu et al. 2016 "iGAN"). There is no VGG offline, and
 * D is the network that learned this very dataset, so F_l are D's own hidden feature maps
 * (d1..dn, after BatchNorm and LeakyReLU, inference mode). Each layer's term is relative to the
 * target's feature energy, so layers of any scale weigh alike. Conditional D gets all-zero label
 * maps, as in eval/d-features.ts: the features then describe the image alone.
 *
 * The prior term keeps z on the shell where N(0, I) puts nearly all of its mass (|z| ~ sqrt(d));
 * unconstrained, inversion drifts to large-norm z that fit the pixels but lie where G was never
 * trained. Uniform priors are handled by clipping to the box instead (projector.ts).
 */
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { discriminate, type Network } from '../models/network';

export interface LossWeights {
  pixel: number;
  perceptual: number;
  prior: number;
}

export const DEFAULT_WEIGHTS: LossWeights = { pixel: 1, perceptual: 0.1, prior: 0.05 };

/** D's hidden feature maps (every layer with a spatial map) for images [B, S, S, C]. Call inside tf.tidy. */
export function dFeatureMaps(D: Network, model: ModelConfig, images: tf.Tensor4D): tf.Tensor4D[] {
  const wanted = new Set(D.spec.filter((l) => l.outSize > 1).map((l) => l.name));
  const maps: tf.Tensor4D[] = [];
  const batch = images.shape[0];
  const labels = model.numClasses > 0 ? (tf.zeros([batch, model.numClasses]) as tf.Tensor2D) : null;
  discriminate(D, images, labels, {
    training: false,
    tap: (name, a) => {
      if (wanted.has(name)) maps.push(a);
    },
  });
  return maps;
}

/**
 * The targets' side of the loss, computed once and repeated for the rows that chase each target:
 * images [B, S, S, C], D features per layer [B, h, w, c] and their energies [B].
 */
export interface TargetTerms {
  image: tf.Tensor4D;
  features: tf.Tensor4D[];
  /** mean(F_l(t)^2) per layer and row, floored so an all-black target cannot divide by zero. */
  energies: tf.Tensor1D[];
}

/** @param targets T images [S*S*C]; @param rowsPerTarget rows of the batch that chase each target (target-major). */
export function targetTerms(D: Network | null, model: ModelConfig, targets: Float32Array[], rowsPerTarget: number): TargetTerms {
  return tf.tidy(() => {
    const pixels = model.size * model.size * model.channels;
    const flat = new Float32Array(targets.length * pixels);
    targets.forEach((t, i) => flat.set(t, i * pixels));
    const images = tf.tensor4d(flat, [targets.length, model.size, model.size, model.channels]);
    const rowTarget = tf.tensor1d(
      Array.from({ length: targets.length * rowsPerTarget }, (_, r) => Math.floor(r / rowsPerTarget)),
      'int32',
    );
    const features = D ? dFeatureMaps(D, model, images) : [];
    const energies = features.map((f) => tf.maximum(tf.mean(tf.square(f), [1, 2, 3]), 1e-6) as tf.Tensor1D);
    return {
      image: tf.keep(tf.gather(images, rowTarget) as tf.Tensor4D),
      features: features.map((f) => tf.keep(tf.gather(f, rowTarget) as tf.Tensor4D)),
      energies: energies.map((e) => tf.keep(tf.gather(e, rowTarget) as tf.Tensor1D)),
    };
  });
}

export function disposeTargetTerms(t: TargetTerms): void {
  tf.dispose([t.image, ...t.features, ...t.energies]);
}

export interface RowLosses {
  /** [B] weighted sum. */
  total: tf.Tensor1D;
  /** [B] mean squared pixel error, in [-1, 1] units. */
  pixel: tf.Tensor1D;
  /** [B] mean relative feature error over D's layers (0 without D). */
  perceptual: tf.Tensor1D;
}

/**
 * Per-row losses of images [B, S, S, C] (G's output for z [B, d]) against each row's target.
 * `priorZ` is z for the shell penalty, or null where the latent space is bounded instead. Call inside tf.tidy.
 */
export function rowLosses(
  D: Network | null,
  model: ModelConfig,
  images: tf.Tensor4D,
  target: TargetTerms,
  priorZ: tf.Tensor2D | null,
  weights: LossWeights,
): RowLosses {
  const batch = images.shape[0];
  const pixel = tf.mean(tf.square(tf.sub(images, target.image)), [1, 2, 3]) as tf.Tensor1D;
  let perceptual = tf.zeros([batch]) as tf.Tensor1D;
  if (D && target.features.length > 0 && weights.perceptual > 0) {
    const maps = dFeatureMaps(D, model, images);
    const terms = maps.map((m, l) => tf.div(tf.mean(tf.square(tf.sub(m, target.features[l])), [1, 2, 3]), target.energies[l]));
    perceptual = tf.div(tf.addN(terms), terms.length) as tf.Tensor1D;
  }
  let total = tf.add(tf.mul(pixel, weights.pixel), tf.mul(perceptual, weights.perceptual)) as tf.Tensor1D;
  if (priorZ && weights.prior > 0) {
    const radius = tf.div(tf.norm(priorZ, 'euclidean', 1), Math.sqrt(priorZ.shape[1]));
    total = tf.add(total, tf.mul(tf.square(tf.sub(radius, 1)), weights.prior)) as tf.Tensor1D;
  }
  return { total, pixel, perceptual };
}

/** RMSE on the [0, 1] intensity scale from a mean squared error in [-1, 1] units. */
export const rmse01 = (mse: number) => Math.sqrt(mse) / 2;

/** Peak signal-to-noise ratio in dB for a [-1, 1] MSE (peak 1 on the [0, 1] scale). */
export const psnr = (mse: number) => (mse > 0 ? -20 * Math.log10(rmse01(mse)) : Infinity);
