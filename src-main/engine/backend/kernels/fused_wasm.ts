/**
 * The fused training kernels (./fused_ops.ts) for the wasm backend, on our SIMD code: BatchNorm +
 * activation in three passes over the data (mean, variance, normalise), its gradient in two,
 * instead of the dozens of passes (and transposes for reductions over non-inner axes) the stock
 * op composition takes. Unsupported cases (a dtype other than float32, tanh inside BatchNorm)
 * return null and the caller composes stock ops.
 */
import { tf } from '../tf';
import { ACT_CODE, offsetOf, simdKernels, withScratch, type WasmBackendLike } from './simd';
import type { ActAttrs, AdamAttrs } from './fused_ops';
import { input } from './util';

const isF32 = (...ts: tf.TensorInfo[]) => ts.every((t) => t.dtype === 'float32');
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

export const bnActKernel =
  (compose: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const x = input(args.inputs, 'x');
    const gamma = input(args.inputs, 'gamma');
    const beta = input(args.inputs, 'beta');
    const { activation, slope } = args.attrs as unknown as ActAttrs;
    if (!isF32(x, gamma, beta) || activation === 'tanh') return compose(args);
    const b = args.backend as unknown as WasmBackendLike;
    const c = x.shape[x.shape.length - 1];
    const rows = size(x.shape) / c;
    const y = b.makeOutput(x.shape, 'float32');
    const mean = b.makeOutput([c], 'float32');
    const variance = b.makeOutput([c], 'float32');
    const k = simdKernels(b);
    const o = (t: tf.TensorInfo) => offsetOf(b, t);
    withScratch(b, 2 * c, (s) =>
      k.bn_act_forward(o(x), o(gamma), o(beta), o(y), o(mean), o(variance), s, rows, c, ACT_CODE[activation], slope),
    );
    return [y, mean, variance];
  };

export const bnActGradKernel =
  (compose: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const names = ['dy', 'x', 'y', 'mean', 'variance', 'gamma'] as const;
    const [dy, x, y, mean, variance, gamma] = names.map((n) => input(args.inputs, n));
    const { activation, slope } = args.attrs as unknown as ActAttrs;
    if (!isF32(dy, x, y, mean, variance, gamma) || activation === 'tanh') return compose(args);
    const b = args.backend as unknown as WasmBackendLike;
    const c = x.shape[x.shape.length - 1];
    const rows = size(x.shape) / c;
    const dx = b.makeOutput(x.shape, 'float32');
    const dGamma = b.makeOutput([c], 'float32');
    const dBeta = b.makeOutput([c], 'float32');
    const k = simdKernels(b);
    const o = (t: tf.TensorInfo) => offsetOf(b, t);
    withScratch(b, 3 * c, (s) =>
      k.bn_act_backward(
        o(dy),
        o(x),
        o(y),
        o(mean),
        o(variance),
        o(gamma),
        o(dx),
        o(dGamma),
        o(dBeta),
        s,
        rows,
        c,
        ACT_CODE[activation],
        slope,
      ),
    );
    return [dx, dGamma, dBeta];
  };

export const actGradKernel =
  (compose: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const dy = input(args.inputs, 'dy');
    const y = input(args.inputs, 'y');
    const { activation, slope } = args.attrs as unknown as ActAttrs;
    if (!isF32(dy, y)) return compose(args);
    const b = args.backend as unknown as WasmBackendLike;
    const dx = b.makeOutput(dy.shape, 'float32');
    simdKernels(b).act_grad(offsetOf(b, dy), offsetOf(b, y), offsetOf(b, dx), size(dy.shape), ACT_CODE[activation], slope);
    return dx;
  };

/** Adam in one pass over p, g, m, v (ten stock ops otherwise, each a pass and an allocation). */
export const adamKernel =
  (compose: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const [p, g, m, v] = (['p', 'g', 'm', 'v'] as const).map((n) => input(args.inputs, n));
    if (!isF32(p, g, m, v)) return compose(args);
    const { beta1, beta2, alpha, epsilon } = args.attrs as unknown as AdamAttrs;
    const b = args.backend as unknown as WasmBackendLike;
    const [p2, m2, v2] = [b.makeOutput(p.shape, 'float32'), b.makeOutput(p.shape, 'float32'), b.makeOutput(p.shape, 'float32')];
    const o = (t: tf.TensorInfo) => offsetOf(b, t);
    simdKernels(b).adam(o(p), o(g), o(m), o(v), o(p2), o(m2), o(v2), size(p.shape), beta1, 1 - beta1, beta2, 1 - beta2, alpha, epsilon);
    return [p2, m2, v2];
  };

/** act(x): wasm's own LeakyRelu is ~20x and Tanh ~60x slower than these SIMD loops (measured). */
export const actKernel =
  (compose: tf.KernelFunc): tf.KernelFunc =>
  (args) => {
    const x = input(args.inputs, 'x');
    const { activation, slope } = args.attrs as unknown as ActAttrs;
    if (!isF32(x)) return compose(args);
    const b = args.backend as unknown as WasmBackendLike;
    const y = b.makeOutput(x.shape, 'float32');
    simdKernels(b).act_forward(offsetOf(b, x), offsetOf(b, y), size(x.shape), ACT_CODE[activation], slope);
    return y;
  };
