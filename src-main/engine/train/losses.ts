/**
 * GAN losses on logits. softplus(-x) = -log(sigmoid(x)) and softplus(x) = -log(1 - sigmoid(x)),
 * numerically stable for large |x| where log(sigmoid) underflows.
 */
import { tf } from '../backend/tf';

/** D: -log D(x) - log(1 - D(G(z))), each averaged over its own batch. */
export function discriminatorLoss(realLogits: tf.Tensor1D, fakeLogits: tf.Tensor1D): tf.Scalar {
  return tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits)));
}

/** G: the non-saturating -log D(G(z)) (Goodfellow et al. 2014), which keeps gradients early on. */
export function generatorLoss(fakeLogits: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.softplus(tf.neg(fakeLogits)));
}
