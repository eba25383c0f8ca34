/**
 * Ganvas' fused training kernels (BatchNorm + activation and its gradient, an activation's
 * gradient): names, attributes, and their composition of stock tfjs ops, which is what runs on a
 * backend without its own kernel and the reference the fused kernels are tested against.
 * The ops the engine calls are in engine/train/backprop/fused.ts.
 */
import { tf } from '../tf';
import { asTensor, input } from './util';
export const BN_ACT = 'GanvasBatchNormAct';
export const BN_ACT_GRAD = 'GanvasBatchNormActGrad';
export const ACT_GRAD = 'GanvasActivationGrad';
export const ACT = 'GanvasActivation';

/** BatchNorm's epsilon (as PyTorch and models/network.ts). */
export const BN_EPSILON = 1e-5;

/** The activations a fused op knows; `slope` is LeakyReLU's negative slope. */
export type FusedActivation = 'relu' | 'lrelu' | 'tanh' | 'none';

export interface ActAttrs {
  activation: FusedActivation;
  slope: number;
}

export interface BnActResult {
  /** act(gamma * (x - mean) / sqrt(var + eps) + beta), same shape as x. */
  y: tf.Tensor4D;
  /** Per-channel batch mean [C]. */
  mean: tf.Tensor1D;
  /** Per-channel biased batch variance [C]. */
  variance: tf.Tensor1D;
}

export interface BnActGrads {
  dx: tf.Tensor4D;
  dGamma: tf.Tensor1D;
  dBeta: tf.Tensor1D;
}

/** act(x) with stock ops. */
export function activate(x: tf.Tensor4D, { activation, slope }: ActAttrs): tf.Tensor4D {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'lrelu':
      return tf.leakyRelu(x, slope);
    case 'tanh':
      return tf.tanh(x);
    case 'none':
      return x;
  }
}

/**
 * dL/d(pre-activation) from dL/dy and the activation's *output* y: ReLU and LeakyReLU (slope > 0)
 * have y > 0 exactly where their input is > 0, and tanh' = 1 - y^2, so y is all that is needed.
 */
export function activationGradComposed(dy: tf.Tensor4D, y: tf.Tensor4D, { activation, slope }: ActAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    switch (activation) {
      case 'relu':
        return tf.mul(dy, tf.step(y, 0));
      case 'lrelu':
        return tf.mul(dy, tf.step(y, slope));
      case 'tanh':
        return tf.mul(dy, tf.sub(1, tf.square(y)));
      case 'none':
        return tf.clone(dy);
    }
  });
}

export function batchNormActComposed(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, attrs: ActAttrs): BnActResult {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const y = activate(tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, BN_EPSILON), attrs);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/** What the BatchNorm + activation gradient reads: dL/dy and the forward pass's x, y, statistics and gamma. */
export interface BnActGradInputs {
  dy: tf.Tensor4D;
  x: tf.Tensor4D;
  y: tf.Tensor4D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  gamma: tf.Tensor1D;
}

/**
 * The BatchNorm gradient with batch statistics (all three paths through mean and variance):
 *   g = dL/d(bn output), xhat = (x - mean) / sqrt(var + eps), N = B*H*W,
 *   dBeta = sum g, dGamma = sum g*xhat, dx = gamma/sqrt(var+eps) * (g - dBeta/N - xhat*dGamma/N).
 */
export function batchNormActGradComposed({ dy, x, y, mean, variance, gamma }: BnActGradInputs, attrs: ActAttrs): BnActGrads {
  return tf.tidy(() => {
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    const g = activationGradComposed(dy, y, attrs);
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const xhat = tf.mul(tf.sub(x, mean), invStd);
    const dBeta = tf.sum(g, [0, 1, 2]) as tf.Tensor1D;
    const dGamma = tf.sum(tf.mul(g, xhat), [0, 1, 2]) as tf.Tensor1D;
    const centred = tf.sub(tf.sub(g, tf.div(dBeta, n)), tf.mul(xhat, tf.div(dGamma, n)));
    const dx = tf.mul(centred, tf.mul(gamma, invStd)) as tf.Tensor4D;
    return { dx, dGamma, dBeta };
  });
}

const t4 = (inputs: tf.NamedTensorInfoMap, name: string) => asTensor<tf.Tensor4D>(input(inputs, name));
const t1 = (inputs: tf.NamedTensorInfoMap, name: string) => asTensor<tf.Tensor1D>(input(inputs, name));

/** The compositions as kernel functions (the fallbacks inside the fused kernels). */
export const composedBnAct: tf.KernelFunc = ({ inputs, attrs }) =>
  tf.tidy(() => {
    const r = batchNormActComposed(t4(inputs, 'x'), t1(inputs, 'gamma'), t1(inputs, 'beta'), attrs as unknown as ActAttrs);
    return [r.y, r.mean, r.variance];
  });

export const composedBnActGrad: tf.KernelFunc = ({ inputs, attrs }) =>
  tf.tidy(() => {
    const [dy, x, y] = (['dy', 'x', 'y'] as const).map((name) => t4(inputs, name));
    const [mean, variance, gamma] = (['mean', 'variance', 'gamma'] as const).map((name) => t1(inputs, name));
    const r = batchNormActGradComposed({ dy, x, y, mean, variance, gamma }, attrs as unknown as ActAttrs);
    return [r.dx, r.dGamma, r.dBeta];
  });

export const composedAct: tf.KernelFunc = ({ inputs, attrs }) =>
  tf.tidy(() => tf.clone(activate(t4(inputs, 'x'), attrs as unknown as ActAttrs)));

export const composedActGrad: tf.KernelFunc = ({ inputs, attrs }) =>
  tf.tidy(() => activationGradComposed(t4(inputs, 'dy'), t4(inputs, 'y'), attrs as unknown as ActAttrs));

export const ADAM = 'GanvasAdam';

export interface AdamAttrs {
  beta1: number;
  beta2: number;
  /** Step size with the bias correction folded in. */
  alpha: number;
  epsilon: number;
}

/** One Adam update with stock ops: returns [p', m', v'] (train/adam.ts documents the rule). */
export function adamComposed(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, a: AdamAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const m2 = tf.add(tf.mul(m, a.beta1), tf.mul(g, 1 - a.beta1));
    const v2 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
    const p2 = tf.sub(p, tf.div(tf.mul(m2, a.alpha), tf.add(tf.sqrt(v2), a.epsilon)));
    return [p2, m2, v2];
  });
}

export const composedAdam: tf.KernelFunc = ({ inputs, attrs }) =>
  tf.tidy(() => {
    const t = (name: string) => asTensor(input(inputs, name));
    return adamComposed(t('p'), t('g'), t('m'), t('v'), attrs as unknown as AdamAttrs);
  });
