/**
 * Conv gradients on the wasm backend as one large matmul (XNNPACK's GEMM) plus a memory-bound
 * rearrangement in our SIMD code, instead of a strided/dilated conv with pads, slices and
 * transposes around it:
 *
 * - input gradient (= transposed conv forward): cols = dy [N, cout] x w^T [cout, kh*kw*c], then
 *   col2im adds each column into the input pixel it came from. No FLOPs are wasted on padding
 *   (the sub-pixel conv computes (h+1)^2 phases for h^2 outputs: +56% on a 4x4 map).
 * - weight gradient: im2col_t (the patches, transposed) [kh*kw*c, N] x dy [N, cout] (our own
 *   matmul for few rows, XNNPACK's otherwise).
 *
 * N = batch * output pixels. NHWC only; the callers fall back otherwise.
 */
import { tf } from '../tf';
import { transposeLast2 } from './matmul';
import { convGradMethods } from './methods';
import { convGeometry, offsetOf, simdKernels, withScratch, type WasmBackendLike } from './simd';
import { channelsLastConvInfo } from './util';

type InputAttrs = tf.Conv2DBackpropInputAttrs;
type FilterAttrs = tf.Conv2DBackpropFilterAttrs;

/** A fresh float32 tensor on the wasm heap (uninitialised: the caller's kernel writes all of it). */
export function empty(backend: WasmBackendLike, shape: number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backend.makeOutput(shape, 'float32'));
}

/**
 * dx of a conv (or a conv2dTranspose forward).
 * @param dy [B,Ho,Wo,Cout]  @param filter [kh,kw,Cin,Cout]  @returns [B,H,W,Cin] (attrs.inputShape)
 */
export function conv2dBackpropInputGemm(backend: WasmBackendLike, dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: InputAttrs): tf.Tensor4D {
  const ci = channelsLastConvInfo(attrs.inputShape, filter.shape, attrs);
  const [kh, kw, cin, cout] = filter.shape;
  return tf.tidy(() => {
    const wT = transposeLast2(backend, tf.reshape(filter, [kh * kw * cin, cout])); // [cout, kh*kw*cin]
    const cols = tf.matMul(tf.reshape(dy, [-1, cout]) as tf.Tensor2D, wT as tf.Tensor2D);
    const dx = empty(backend, attrs.inputShape);
    simdKernels(backend).col2im(offsetOf(backend, cols), offsetOf(backend, dx), ...convGeometry(ci));
    return dx as tf.Tensor4D;
  });
}

/**
 * Whether dW [rows, cout] (rows = kh*kw*Cin) is small enough for our own matmul (gemm_small_mn):
 * a first layer's few input channels. XNNPACK packs all of dy per call first, which dominates
 * when the product has so few rows (measured: D's first layer on 64x64x3, 64 images).
 */
function smallWeightGradient(rows: number, cout: number): boolean {
  return convGradMethods.smallGemm && rows <= 64 && cout % 16 === 0;
}

/**
 * dW of a conv.
 * @param x [B,H,W,Cin]  @param dy [B,Ho,Wo,Cout]  @returns [kh,kw,Cin,Cout] (attrs.filterShape)
 */
export function conv2dBackpropFilterGemm(backend: WasmBackendLike, x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterAttrs): tf.Tensor4D {
  const ci = channelsLastConvInfo(x.shape, attrs.filterShape, attrs);
  const [kh, kw, cin, cout] = attrs.filterShape;
  const n = ci.batchSize * ci.outHeight * ci.outWidth;
  return tf.tidy(() => {
    const colsT = empty(backend, [kh * kw * cin, n]);
    withScratch(backend, 16, (offs) =>
      simdKernels(backend).im2col_t(offsetOf(backend, x), offsetOf(backend, colsT), offs, ...convGeometry(ci)),
    );
    if (smallWeightGradient(kh * kw * cin, cout)) {
      const dw = empty(backend, attrs.filterShape);
      simdKernels(backend).gemm_small_mn(offsetOf(backend, colsT), offsetOf(backend, dy), offsetOf(backend, dw), kh * kw * cin, n, cout);
      return dw as tf.Tensor4D;
    }
    const dw = tf.matMul(colsT as tf.Tensor2D, tf.reshape(dy, [n, cout]) as tf.Tensor2D);
    return tf.reshape(dw, attrs.filterShape);
  });
}

/**
 * A forward conv as im2col + matmul with the filter as stored ([kh*kw*Cin, Cout]): XNNPACK's
 * packing of a matmul operand is fast, while tfjs' wasm Conv2D re-lays out every new filter in a
 * slow generic transpose first (~5 ms per MB: 38 ms for a 4x4x256x512 filter).
 * @param x [B,H,W,Cin]  @param filter [kh,kw,Cin,Cout]  @returns [B,Ho,Wo,Cout]
 */
export function conv2dGemm(backend: WasmBackendLike, x: tf.Tensor4D, filter: tf.Tensor4D, ci: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  return tf.tidy(() => {
    const cols = empty(backend, [ci.batchSize * ci.outHeight * ci.outWidth, kh * kw * cin]);
    simdKernels(backend).im2col(offsetOf(backend, x), offsetOf(backend, cols), ...convGeometry(ci));
    const y = tf.matMul(cols as tf.Tensor2D, tf.reshape(filter, [kh * kw * cin, cout]) as tf.Tensor2D);
    return tf.reshape(y, [ci.batchSize, ci.outHeight, ci.outWidth, cout]);
  });
}
