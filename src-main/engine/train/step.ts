/**
 * One DCGAN training step, as in the PyTorch reference: update D on a real and a fake batch
 * (separate batches, so BatchNorm never mixes real and fake statistics), then update G with the
 * non-saturating loss through the freshly updated D.
 */
import { tf } from '../backend/tf';
import type { Gan } from '../models/gan';
import { discriminate, generate, type Network } from '../models/network';
import { deriveSeed } from '../util/rng';
import { discriminatorLoss, generatorLoss } from './losses';

export interface StepInput {
  /** Real images [B, S, S, C] in [-1, 1]. */
  real: tf.Tensor4D;
  /** One-hot labels [B, K] of the real batch for conditional models, else null. */
  onehot: tf.Tensor2D | null;
  /**
   * Labels of the fake batch (G's input and D's on the fakes); default `onehot`, the real batch's
   * labels. The book's CGAN draws them at random instead (TrainHyper.fakeLabels = 'random').
   */
  fakeOnehot?: tf.Tensor2D | null;
  /** Latent batch [B, zDim]. */
  z: tf.Tensor2D;
  /** Seed of this step's dropout masks (networks with dropout layers); without it dropout is off. */
  dropoutSeed?: number;
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

/** Runs one D update and one G update; allocates no tensor that outlives the call. */
export function trainStep(gan: Gan, { real, onehot, z, fakeOnehot = onehot, dropoutSeed }: StepInput): StepMetrics {
  const { G, D } = gan;
  // Each D pass draws its own dropout masks; both G passes the same (they make the same fakes).
  const seed = (pass: number) => (dropoutSeed === undefined ? undefined : deriveSeed(dropoutSeed, pass));
  const values = tf.tidy(() => {
    const fake = generate(G, z, fakeOnehot, { training: true, updateStats: true, dropoutSeed: seed(0) });
    let dReal: tf.Scalar | null = null;
    let dFake: tf.Scalar | null = null;
    const d = tf.variableGrads(() => {
      const realLogits = discriminate(D, real, onehot, { training: true, updateStats: true, dropoutSeed: seed(1) });
      const fakeLogits = discriminate(D, fake, fakeOnehot, { training: true, dropoutSeed: seed(2) });
      // Kept past variableGrads' own tidy; disposed with the outer tidy via the stack below.
      dReal = tf.keep(tf.mean(tf.sigmoid(realLogits)) as tf.Scalar);
      dFake = tf.keep(tf.mean(tf.sigmoid(fakeLogits)) as tf.Scalar);
      return discriminatorLoss(realLogits, fakeLogits);
    }, [...D.params.values()]);
    gan.optD.apply(D.params, gradsByParam(D, d.grads));

    const g = tf.variableGrads(() => {
      const fakeAgain = generate(G, z, fakeOnehot, { training: true, dropoutSeed: seed(0) });
      return generatorLoss(discriminate(D, fakeAgain, fakeOnehot, { training: true, dropoutSeed: seed(3) }));
    }, [...G.params.values()]);
    gan.optG.apply(G.params, gradsByParam(G, g.grads));

    const packed = tf.stack([d.value, g.value, dReal!, dFake!]);
    (dReal as tf.Scalar | null)?.dispose();
    (dFake as tf.Scalar | null)?.dispose();
    return packed;
  });
  const [dLoss, gLoss, dReal, dFake] = values.dataSync();
  values.dispose();
  return { dLoss, gLoss, dReal, dFake };
}
