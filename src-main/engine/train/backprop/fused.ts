/**
 * Fused training ops with a hand-written gradient: BatchNorm (batch statistics) + activation,
 * and an activation's gradient on its own.
 *
 * Each op is a named tfjs kernel so a backend can run it in one or two passes over the data
 * (the wasm backend with our own SIMD code, TensorFlow with its FusedBatchNormV3/-GradV3);
 * on any other backend the same maths runs as a composition of stock tfjs ops
 * (backend/kernels/fused_ops.ts), which is also the reference the fused kernels are tested against.
 */
import { tf } from '../../backend/tf';
import {
  ACT,
  ACT_GRAD,
  activate as activateComposed,
  activationGradComposed,
  BN_ACT,
  BN_ACT_GRAD,
  batchNormActComposed,
  batchNormActGradComposed,
  type ActAttrs,
  type BnActGradInputs,
  type BnActGrads,
  type BnActResult,
} from '../../backend/kernels/fused_ops';

export type { ActAttrs } from '../../backend/kernels/fused_ops';

function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function run(name: string, inputs: Record<string, tf.Tensor>, attrs: ActAttrs): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);
  return Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
}

/** Training-mode BatchNorm + activation: one fused kernel where the backend has one. */
export function batchNormAct(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, attrs: ActAttrs): BnActResult {
  if (!hasKernel(BN_ACT)) return batchNormActComposed(x, gamma, beta, attrs);
  const [y, mean, variance] = run(BN_ACT, { x, gamma, beta }, attrs);
  return { y: y as tf.Tensor4D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** Gradient of `batchNormAct` w.r.t. x, gamma and beta, given dL/dy and the forward's x, y and statistics. */
export function batchNormActGrad(inputs: BnActGradInputs, attrs: ActAttrs): BnActGrads {
  if (!hasKernel(BN_ACT_GRAD)) return batchNormActGradComposed(inputs, attrs);
  const [dx, dGamma, dBeta] = run(BN_ACT_GRAD, { ...inputs }, attrs);
  return { dx: dx as tf.Tensor4D, dGamma: dGamma as tf.Tensor1D, dBeta: dBeta as tf.Tensor1D };
}

/** dL/d(pre-activation) from dL/dy and y = act(pre-activation). */
export function activationGrad(dy: tf.Tensor4D, y: tf.Tensor4D, attrs: ActAttrs): tf.Tensor4D {
  if (attrs.activation === 'none') return dy;
  if (!hasKernel(ACT_GRAD)) return activationGradComposed(dy, y, attrs);
  return run(ACT_GRAD, { dy, y }, attrs)[0] as tf.Tensor4D;
}

/** y = act(x): one fused kernel where the backend has one. */
export function activate(x: tf.Tensor4D, attrs: ActAttrs): tf.Tensor4D {
  if (attrs.activation === 'none') return x;
  if (!hasKernel(ACT)) return activateComposed(x, attrs);
  return run(ACT, { x }, attrs)[0] as tf.Tensor4D;
}
