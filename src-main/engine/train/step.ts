/**
 * One DCGAN training step, as in the PyTorch reference: update D on a real and a fake batch
 * (separate batches, so BatchNorm never mixes real and fake statistics), then update G with the
 * non-saturating loss through the freshly updated D.
 *
 * Two implementations of the same maths: `trainStep` backpropagates by hand (./backprop), which
 * reuses G's forward pass from the D update and runs fused BatchNorm kernels; `referenceTrainStep`
 * lets tfjs' tape differentiate models/network.ts (it must run G forward twice). Networks with a
 * layer the hand-written path does not know train on the reference path.
 */
import { tf } from '../backend/tf';
import type { Gan } from '../models/gan';
import { discriminate, generate, type Network } from '../models/network';
import { discriminatorGradients, generatorForward, generatorGradients } from './backprop/gradients';
import { supportsHandBackprop } from './backprop/network';
import { discriminatorLoss, generatorLoss } from './losses';

export interface StepInput {
  /** Real images [B, S, S, C] in [-1, 1]. */
  real: tf.Tensor4D;
  /** One-hot labels [B, K] for conditional models (also used for the fake batch), else null. */
  onehot: tf.Tensor2D | null;
  /** Latent batch [B, zDim]. */
  z: tf.Tensor2D;
}

export interface StepMetrics {
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch, before D's update. */
  dReal: number;
  /** Mean D(G(z)) on the fake batch, before D's update. */
  dFake: number;
}

/** tf.variableGrads keys by the variable's global name; our optimisers key by parameter name. */
function gradsByParam(net: Network, grads: tf.NamedTensorMap): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [key, v] of net.params) out[key] = grads[v.name];
  return out;
}

/** Runs `step` in a tidy scope; it returns [dLoss, gLoss, dReal, dFake] stacked, read back in one transfer. */
function readStepMetrics(step: () => tf.Tensor1D): StepMetrics {
  const values = tf.tidy(step);
  const [dLoss, gLoss, dReal, dFake] = values.dataSync();
  values.dispose();
  return { dLoss, gLoss, dReal, dFake };
}

/** Runs one D update and one G update; allocates no tensor that outlives the call. */
export function trainStep(gan: Gan, input: StepInput): StepMetrics {
  if (!supportsHandBackprop(gan.G) || !supportsHandBackprop(gan.D)) return referenceTrainStep(gan, input);
  return readStepMetrics(() => {
    const gen = generatorForward(gan, input);
    const d = discriminatorGradients(gan, input, gen);
    gan.optD.apply(gan.D.params, d.grads);
    const g = generatorGradients(gan, input, gen);
    gan.optG.apply(gan.G.params, g.grads);
    return tf.stack([d.loss, g.loss, d.dReal, d.dFake]) as tf.Tensor1D;
  });
}

/** The same step differentiated by tfjs' tape over models/network.ts: the reference for tests and benchmarks. */
export function referenceTrainStep(gan: Gan, { real, onehot, z }: StepInput): StepMetrics {
  const { G, D } = gan;
  return readStepMetrics(() => {
    const fake = generate(G, z, onehot, { training: true, updateStats: true });
    let dReal: tf.Scalar | null = null;
    let dFake: tf.Scalar | null = null;
    const d = tf.variableGrads(() => {
      const realLogits = discriminate(D, real, onehot, { training: true, updateStats: true });
      const fakeLogits = discriminate(D, fake, onehot, { training: true });
      // Kept past variableGrads' own tidy; disposed with the outer tidy via the stack below.
      dReal = tf.keep(tf.mean(tf.sigmoid(realLogits)) as tf.Scalar);
      dFake = tf.keep(tf.mean(tf.sigmoid(fakeLogits)) as tf.Scalar);
      return discriminatorLoss(realLogits, fakeLogits);
    }, [...D.params.values()]);
    gan.optD.apply(D.params, gradsByParam(D, d.grads));

    const g = tf.variableGrads(() => {
      const fakeAgain = generate(G, z, onehot, { training: true });
      return generatorLoss(discriminate(D, fakeAgain, onehot, { training: true }));
    }, [...G.params.values()]);
    gan.optG.apply(G.params, gradsByParam(G, g.grads));

    const packed = tf.stack([d.value, g.value, dReal!, dFake!]) as tf.Tensor1D;
    (dReal as tf.Scalar | null)?.dispose();
    (dFake as tf.Scalar | null)?.dispose();
    return packed;
  });
}
