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
import { deriveSeed } from '../util/rng';
import { discriminatorGradients, generatorForward, generatorGradients, type StepBatch } from './backprop/gradients';
import { supportsHandBackprop } from './backprop/network';
import { updateAverage } from './ema';
import { discriminatorLoss, generatorLoss } from './losses';

/** A step's batch (real images, their labels, the fakes' labels, z), and the seed of its dropout masks. */
export interface StepInput extends StepBatch {
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

/** [dLoss, gLoss, dReal, dFake] as read back from a step's packed tensor. */
export function unpackStepMetrics(values: ArrayLike<number>): StepMetrics {
  const [dLoss, gLoss, dReal, dFake] = Array.from(values);
  return { dLoss, gLoss, dReal, dFake };
}

/**
 * What happens to a network's gradients before its Adam update: nothing in a one-worker step; a
 * data-parallel replica (train/parallel) returns the average over all replicas instead.
 */
export interface GradientExchange {
  d(grads: Record<string, tf.Tensor>): Record<string, tf.Tensor>;
  g(grads: Record<string, tf.Tensor>): Record<string, tf.Tensor>;
}

/** Reads a packed step result back in one transfer and frees it. */
function readStepMetrics(values: tf.Tensor1D): StepMetrics {
  const metrics = unpackStepMetrics(values.dataSync());
  values.dispose();
  return metrics;
}

/** Runs one D update and one G update; allocates no tensor that outlives the call. */
export function trainStep(gan: Gan, input: StepInput, exchange?: GradientExchange): StepMetrics {
  return readStepMetrics(trainStepPacked(gan, input, exchange));
}

/**
 * trainStep without the read-back: [dLoss, gLoss, dReal, dFake] stay on the backend, for a
 * caller that reads them asynchronously (WebGPU, where a synchronous read stalls the GPU queue).
 */
export function trainStepPacked(gan: Gan, input: StepInput, exchange?: GradientExchange): tf.Tensor1D {
  const hand = supportsHandBackprop(gan.G) && supportsHandBackprop(gan.D);
  if (!hand && exchange) throw new Error('Data-parallel training needs the hand-written backprop (this architecture has none)');
  return averaged(gan, hand ? handStepPacked(gan, input, exchange) : referenceStepPacked(gan, input));
}

/** G's moving average follows every G update (train/ema.ts); replicas hold the same G, so the same average. */
function averaged(gan: Gan, packed: tf.Tensor1D): tf.Tensor1D {
  if (gan.ema) updateAverage(gan.ema.G, gan.G, gan.ema.decay, gan.optG.step);
  return packed;
}

function handStepPacked(gan: Gan, input: StepInput, exchange?: GradientExchange): tf.Tensor1D {
  const { real, onehot, z, fakeOnehot = onehot } = input;
  return tf.tidy(() => {
    const gen = generatorForward(gan, { z, onehot: fakeOnehot });
    const d = discriminatorGradients(gan, { real, onehot, fakeOnehot }, gen);
    gan.optD.apply(gan.D.params, exchange ? exchange.d(d.grads) : d.grads);
    const g = generatorGradients(gan, { onehot: fakeOnehot }, gen);
    gan.optG.apply(gan.G.params, exchange ? exchange.g(g.grads) : g.grads);
    return tf.stack([d.loss, g.loss, d.dReal, d.dFake]) as tf.Tensor1D;
  });
}

/**
 * The same step differentiated by tfjs' tape over models/network.ts: the reference for tests and
 * benchmarks, and the path for networks with layers the hand-written backprop does not know.
 */
export function referenceTrainStep(gan: Gan, input: StepInput): StepMetrics {
  return readStepMetrics(averaged(gan, referenceStepPacked(gan, input)));
}

function referenceStepPacked(gan: Gan, { real, onehot, z, fakeOnehot = onehot, dropoutSeed }: StepInput): tf.Tensor1D {
  const { G, D } = gan;
  // Each D pass draws its own dropout masks; both G passes the same (they make the same fakes).
  const seed = (pass: number) => (dropoutSeed === undefined ? undefined : deriveSeed(dropoutSeed, pass));
  return tf.tidy(() => {
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

    const packed = tf.stack([d.value, g.value, dReal!, dFake!]) as tf.Tensor1D;
    (dReal as tf.Scalar | null)?.dispose();
    (dFake as tf.Scalar | null)?.dispose();
    return packed;
  });
}
