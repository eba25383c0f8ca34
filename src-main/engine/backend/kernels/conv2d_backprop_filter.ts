/**
 * Conv2DBackpropFilter for wasm: the weight gradient of conv2d (and of
 * conv2dTranspose), which the wasm backend lacks; training fails without it.
 *
 * Forward: y[b,i,j,co] = sum_{p,q,ci} xPad[b, i*sh + p, j*sw + q, ci] * W[p,q,ci,co].
 * Gradient: dW[p,q,ci,co] = sum_{b,i,j} xPad[b, i*sh + p, j*sw + q, ci] * dy[b,i,j,co].
 * That is itself a stride-1 conv2d with dilation (sh, sw): take ci as the batch,
 * b as the input channel, and dy (as [Ho,Wo,B,Cout]) as the filter. Running it
 * through wasm's XNNPACK conv is fast and needs no new native code.
 * (wasm's Conv3DBackpropFilterV2 is wrong for stride > 1, so no 3D detour.)
 */
import { tf } from '../tf';
import { conv2dBackpropFilterGemm } from './conv_gemm';
import { convGradMethods } from './methods';
import type { WasmBackendLike } from './simd';
import { asTensor, channelsLastConvInfo, input } from './util';
import { conv2dBackpropFilterWinograd, winogradConvApplies } from './winograd';

type Attrs = tf.Conv2DBackpropFilterAttrs;

/**
 * Weight gradient of a conv2d.
 * @param x  forward input, [B,H,W,Cin] (or [B,Cin,H,W] when dataFormat is NCHW)
 * @param dy output gradient, [B,Ho,Wo,Cout] (or [B,Cout,Ho,Wo])
 * @returns dW, [kh,kw,Cin,Cout] (attrs.filterShape)
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Attrs): tf.Tensor4D {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  return tf.tidy(() => {
    // Work in NHWC; NCHW is only converted, never computed natively.
    const xh: tf.Tensor4D = dataFormat === 'NCHW' ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const dyh: tf.Tensor4D = dataFormat === 'NCHW' ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const { top, left } = info.padInfo;
    const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
    const [, ho, wo] = dyh.shape;
    // Rows/cols of the padded input that some window touches. With 'ceil'
    // rounding the last window may run past the padding: pad more zeros.
    // Rows no window reaches (floor rounding) are cut so the conv output is exactly kh x kw.
    const needH = (ho - 1) * sh + kh;
    const needW = (wo - 1) * sw + kw;
    const h = xh.shape[1];
    const w = xh.shape[2];
    let xp = tf.pad(xh, [
      [0, 0],
      [top, Math.max(0, needH - h - top)],
      [left, Math.max(0, needW - w - left)],
      [0, 0],
    ]);
    if (xp.shape[1] !== needH || xp.shape[2] !== needW) {
      xp = tf.slice(xp, [0, 0, 0, 0], [-1, needH, needW, -1]);
    }
    const input = tf.transpose(xp, [3, 1, 2, 0]); // [Cin, needH, needW, B]
    const filter = tf.transpose(dyh, [1, 2, 0, 3]); // [Ho, Wo, B, Cout]
    const g = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [sh, sw]); // [Cin, kh, kw, Cout]
    return tf.transpose(g, [1, 2, 0, 3]);
  });
}

/**
 * The registry entry: wasm has no stock Conv2DBackpropFilter. NHWC float32 goes through
 * Winograd (./winograd.ts) where it applies, else im2col + GEMM (./conv_gemm.ts), unless the
 * benchmark switched to the dilated-conv form above.
 */
export const conv2dBackpropFilterKernel: tf.KernelFunc = ({ inputs, attrs, backend }) => {
  const x = input(inputs, 'x');
  const dy = input(inputs, 'dy');
  const a = attrs as unknown as Attrs;
  const gemm = convGradMethods.filter === 'gemm' && a.dataFormat !== 'NCHW' && x.dtype === 'float32' && dy.dtype === 'float32';
  const wasm = backend as unknown as WasmBackendLike;
  return tf.tidy(() => {
    const [xt, dyt] = [asTensor<tf.Tensor4D>(x), asTensor<tf.Tensor4D>(dy)];
    if (gemm) {
      const info = channelsLastConvInfo(x.shape, a.filterShape, a);
      if (winogradConvApplies(info)) return conv2dBackpropFilterWinograd(wasm, xt, dyt, info);
      return conv2dBackpropFilterGemm(wasm, xt, dyt, a);
    }
    return conv2dBackpropFilter(xt, dyt, a);
  });
};
