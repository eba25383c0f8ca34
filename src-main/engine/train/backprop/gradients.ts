/**
 * The two halves of a DCGAN step as gradient computations, separate from the optimiser updates,
 * so that a data-parallel step can average them across replicas before applying Adam:
 *
 *   const gen = generatorForward(gan, batch)            // G(z), cached, G's BatchNorm stats updated
 *   const d = discriminatorGradients(gan, batch, gen)   // dL_D/dθ_D on real + fake
 *   optD.apply(...d.grads)                              // (average first when data-parallel)
 *   const g = generatorGradients(gan, batch, gen)       // dL_G/dθ_G through the *updated* D
 *   optG.apply(...g.grads)
 *
 * Losses on logits (softplus forms, as train/losses.ts): L_D = mean softplus(-D(x)) + mean softplus(D(G(z))),
 * L_G = mean softplus(-D(G(z))). Their logit gradients are sigmoid(l) - 1 (real) and sigmoid(l)
 * (fake), over the batch size.
 * All tensors returned live in the caller's tf.tidy scope.
 */
import { withFilterReuse } from '../../backend/kernels/winograd';
import { tf } from '../../backend/tf';
import type { Gan } from '../../models/gan';
import type { Network } from '../../models/network';
import { backward, forwardTrain, type ForwardCache } from './network';

export interface StepBatch {
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
}

export interface GeneratorPass {
  /** G(z) [B, S, S, C]. */
  images: tf.Tensor4D;
  cache: ForwardCache;
}

export interface DiscriminatorGradients {
  /** By parameter name (as `Network.params`). */
  grads: Record<string, tf.Tensor>;
  loss: tf.Scalar;
  /** Mean D(x) on the real batch, before D's update. */
  dReal: tf.Scalar;
  /** Mean D(G(z)) on the fake batch, before D's update. */
  dFake: tf.Scalar;
}

export interface GeneratorGradients {
  grads: Record<string, tf.Tensor>;
  loss: tf.Scalar;
}

/** Conditional D input: K constant label maps appended to the image channels. */
function discriminatorInput(images: tf.Tensor4D, onehot: tf.Tensor2D | null): tf.Tensor4D {
  if (!onehot) return images;
  const [b, h, w] = images.shape;
  const maps = tf.tile(tf.reshape(onehot, [b, 1, 1, onehot.shape[1]]), [1, h, w, 1]);
  return tf.concat([images, maps], 3) as tf.Tensor4D;
}

const logitsOf = (cache: ForwardCache) => tf.reshape(cache.output, [cache.output.shape[0]]) as tf.Tensor1D;

/** dL/d(logits) as D's output shape [B, 1, 1, 1]. */
const asOutputGrad = (g: tf.Tensor, cache: ForwardCache) => tf.reshape(g, cache.output.shape) as tf.Tensor4D;

function addGrads(a: Record<string, tf.Tensor>, b: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const k of Object.keys(a)) out[k] = tf.add(a[k], b[k]);
  return out;
}

/** G(z) in training mode (batch statistics), updating G's moving statistics once per step. */
export function generatorForward(gan: Gan, { z, onehot }: Pick<StepBatch, 'z' | 'onehot'>): GeneratorPass {
  const input = onehot ? tf.concat([z, onehot], 1) : z;
  const cache = forwardTrain(gan.G, input, true);
  return { images: cache.output, cache };
}

/**
 * D's loss gradient on a real and a fake batch (separate forward passes, so BatchNorm never mixes
 * real and fake statistics; only the real pass updates D's moving statistics).
 */
export function discriminatorGradients(
  gan: Gan,
  { real, onehot, fakeOnehot = onehot }: Pick<StepBatch, 'real' | 'onehot' | 'fakeOnehot'>,
  gen: GeneratorPass,
): DiscriminatorGradients {
  // D runs over the real and the fake images with the same weights: its convs share their
  // transformed filters (wasm's Winograd convs; elsewhere a no-op).
  return withFilterReuse(() => discriminatorGradientsOf(gan, { real, onehot, fakeOnehot }, gen));
}

function discriminatorGradientsOf(
  gan: Gan,
  { real, onehot, fakeOnehot }: { real: tf.Tensor4D; onehot: tf.Tensor2D | null; fakeOnehot: tf.Tensor2D | null },
  gen: GeneratorPass,
): DiscriminatorGradients {
  const D: Network = gan.D;
  const realPass = forwardTrain(D, discriminatorInput(real, onehot), true);
  const fakePass = forwardTrain(D, discriminatorInput(gen.images, fakeOnehot), false);
  const r = logitsOf(realPass);
  const f = logitsOf(fakePass);
  const pReal = tf.sigmoid(r);
  const pFake = tf.sigmoid(f);
  const loss = tf.add(tf.mean(tf.softplus(tf.neg(r))), tf.mean(tf.softplus(f))) as tf.Scalar;
  const dReal = backward(D, realPass, asOutputGrad(tf.div(tf.sub(pReal, 1), r.shape[0]), realPass), true, false);
  const dFake = backward(D, fakePass, asOutputGrad(tf.div(pFake, f.shape[0]), fakePass), true, false);
  return { grads: addGrads(dReal.grads, dFake.grads), loss, dReal: tf.mean(pReal), dFake: tf.mean(pFake) };
}

/**
 * G's non-saturating loss gradient through D as it is now (call after D's update), reusing the
 * generator pass of this step: only D runs forward again.
 */
export function generatorGradients(gan: Gan, { onehot }: Pick<StepBatch, 'onehot'>, gen: GeneratorPass): GeneratorGradients {
  const pass = forwardTrain(gan.D, discriminatorInput(gen.images, onehot), false);
  const l = logitsOf(pass);
  const loss = tf.mean(tf.softplus(tf.neg(l))) as tf.Scalar;
  const dLogits = asOutputGrad(tf.div(tf.sub(tf.sigmoid(l), 1), l.shape[0]), pass);
  let dImages = backward(gan.D, pass, dLogits, false, true).dInput as tf.Tensor4D;
  if (onehot) dImages = tf.slice(dImages, [0, 0, 0, 0], [-1, -1, -1, gen.images.shape[3]]);
  return { grads: backward(gan.G, gen.cache, dImages, true, false).grads, loss };
}
