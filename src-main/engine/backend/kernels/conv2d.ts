/**
 * Conv2D for wasm: Winograd over the space-to-depth image for DCGAN's 4x4 stride-2 convs
 * (winograd.ts), im2col + matmul where the filter is large next to the output (deep layers on
 * small maps), the stock XNNPACK conv elsewhere. See conv_gemm.ts for why. A numeric padding
 * always takes im2col: tfjs-core sizes the output of a numeric-padded conv from the filter's
 * height alone, XNNPACK from both sides, so with a non-square filter the stock kernel writes past
 * its output and the process dies ("table index is out of bounds"; a 5x2 filter, pad 1, 8x11
 * input). im2col + matmul fills exactly the shape tfjs-core asks for, as the cpu backend does.
 */
import { tf } from '../tf';
import { conv2dGemm } from './conv_gemm';
import { GEMM_PIXELS_PER_CHANNEL } from './conv_phases';
import { convGradMethods } from './methods';
import type { WasmBackendLike } from './simd';
import { asTensor, input } from './util';
import { conv2dWinograd, winogradConvApplies } from './winograd';

export function makeConv2dKernel(stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    if (!stock) throw new Error('Conv2D: no stock wasm kernel');
    const x = input(args.inputs, 'x');
    const filter = input(args.inputs, 'filter');
    const a = args.attrs as unknown as tf.Conv2DAttrs;
    const numericPad = typeof a.pad === 'number';
    if (
      (convGradMethods.forward === 'xnn' && !numericPad) ||
      a.dataFormat === 'NCHW' ||
      x.dtype !== 'float32' ||
      filter.dtype !== 'float32'
    ) {
      return stock(args);
    }
    const dil = typeof a.dilations === 'number' ? [a.dilations, a.dilations] : (a.dilations ?? [1, 1]);
    if (dil[0] !== 1 || dil[1] !== 1) return stock(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
    );
    const backend = args.backend as unknown as WasmBackendLike;
    if (winogradConvApplies(info)) {
      return tf.tidy(() => conv2dWinograd(backend, asTensor<tf.Tensor4D>(x), asTensor<tf.Tensor4D>(filter), info));
    }
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    if (convGradMethods.forward === 'auto' && !numericPad && pixels / info.outChannels >= GEMM_PIXELS_PER_CHANNEL) return stock(args);
    return tf.tidy(() => conv2dGemm(backend, asTensor<tf.Tensor4D>(x), asTensor<tf.Tensor4D>(filter), info));
  };
}
