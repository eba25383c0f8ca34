/**
 * Fast Conv2DBackpropInput for wasm (conv2dTranspose forward, conv2d input grad).
 *
 * The stock wasm kernel is a plain C++ loop, 5-7x slower than XNNPACK's conv.
 * Sub-pixel decomposition turns a stride-s transposed conv into ONE stride-1
 * conv plus an interleave:
 *
 *   Forward conv (stride s, kernel k, pad top pt): output row i reads padded
 *   input rows i*s .. i*s+k-1. So padded input row r = q*s + ry (0 <= ry < s)
 *   gets dx[r] = sum_{m=0}^{J-1} dy[q-m] * W[ry + s*m],  J = ceil(k/s).
 *   With dy zero-padded by J-1 rows on each side this is a 'valid' stride-1
 *   conv whose tap a = J-1-m uses W[ry + s*(J-1-a)]: one sub-kernel per phase
 *   ry. All s*s phases (ry, rx) are packed along output channels:
 *     packed[a,b,co,(ry*s+rx)*Cin+ci] = W[ry+s*(J-1-a), rx+s*(J-1-b), ci, co]
 *   and a depthToSpace(s) interleave moves phase (ry, rx) to pixel (q*s+ry, p*s+rx).
 *   The result is indexed by padded-input row, so crop from (pt, pl).
 *
 * Unsupported cases (NCHW, unequal strides) fall back to the stock kernel.
 */
import { tf } from '../tf';
import { conv2dBackpropInputGemm, empty } from './conv_gemm';
import { conv2dBackpropInputPhases, planPhases } from './conv_phases';
import { convGradMethods } from './methods';
import { offsetOf, simdKernels, type WasmBackendLike } from './simd';
import { asTensor, input, pair } from './util';

type Attrs = tf.Conv2DBackpropInputAttrs;

/**
 * Selection matrix for the packing: row (a,b,ry,rx) has a single 1 in column
 * (ky,kx) = (ry + s(Jh-1-a), rx + s(Jw-1-b)), or no 1 when that tap is past the kernel.
 */
function packSelection(kh: number, kw: number, s: number, jh: number, jw: number): Float32Array {
  const sel = new Float32Array(jh * jw * s * s * kh * kw);
  let row = 0;
  for (let a = 0; a < jh; a++)
    for (let b = 0; b < jw; b++)
      for (let ry = 0; ry < s; ry++)
        for (let rx = 0; rx < s; rx++, row++) {
          const ky = ry + s * (jh - 1 - a);
          const kx = rx + s * (jw - 1 - b);
          if (ky < kh && kx < kw) sel[row * kh * kw + ky * kw + kx] = 1;
        }
  return sel;
}

/**
 * Packs a forward conv filter into the sub-pixel filter described above.
 * The tap shuffle (with zeros) is a 0/1 matrix product: wasm's Reverse, Gather,
 * Slice and rank-6 Transpose are scalar loops (~1.5 s on a [4,4,512,1024]
 * filter), XNNPACK's GEMM and one rank-4 Transpose take ~50 ms. Exact for
 * finite weights (x*1 plus zeros); a NaN/Inf weight would spread to its row.
 * @param w forward filter [kh,kw,Cin,Cout]
 * @returns [Jh,Jw,Cout,s*s*Cin], Jh = ceil(kh/s), Jw = ceil(kw/s)
 */
export function packSubPixelFilter(w: tf.Tensor4D, s: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = w.shape;
  const jh = Math.ceil(kh / s);
  const jw = Math.ceil(kw / s);
  return tf.tidy(() => {
    const sel = tf.tensor2d(packSelection(kh, kw, s, jh, jw), [jh * jw * s * s, kh * kw]);
    const taps = tf.matMul(sel, tf.reshape(w, [kh * kw, cin * cout])); // [(a,b),(ry,rx),ci,co]
    const ordered = tf.transpose(tf.reshape(taps, [jh * jw, s * s, cin, cout]), [0, 3, 1, 2]); // [(a,b),co,(ry,rx),ci]
    return tf.reshape(ordered, [jh, jw, cout, s * s * cin]);
  });
}

/**
 * depthToSpace(s) as reshape + transpose: wasm's DepthToSpace is a scalar loop
 * (30 ms on [64,8,8,256]); this transpose keeps the innermost s*C run contiguous (0.2 ms).
 * @param x [B,Hq,Wq,s*s*C], channel (ry*s+rx)*C+c
 * @returns [B,Hq*s,Wq*s,C], out[b,q*s+ry,p*s+rx,c]
 */
export function interleavePhases(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [b, hq, wq, depth] = x.shape;
  const c = depth / (s * s);
  return tf.tidy(() => {
    const rows = tf.reshape(x, [b * hq, wq, s, s * c]); // [(b,q), p, ry, (rx,c)]
    return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [b, hq * s, wq * s, c]);
  });
}

/** Whether the fast path handles these attributes. */
export function fastBackpropInputSupported(attrs: Attrs): boolean {
  const [sh, sw] = pair(attrs.strides);
  return attrs.dataFormat !== 'NCHW' && sh === sw;
}

/**
 * Input gradient of conv2d (= conv2dTranspose forward), NHWC, equal strides.
 * @param dy     [B,Ho,Wo,Cout]
 * @param filter [kh,kw,Cin,Cout]
 * @returns dx, attrs.inputShape = [B,H,W,Cin]
 */
export function conv2dBackpropInputFast(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Attrs, simd?: WasmBackendLike): tf.Tensor4D {
  const { strides, pad, dimRoundingMode, inputShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const s = info.strideHeight;
  const [batch, h, w, cin] = inputShape;
  const [, ho, wo] = dy.shape;
  const jh = Math.ceil(info.filterHeight / s);
  const jw = Math.ceil(info.filterWidth / s);
  const { top, left } = info.padInfo;
  // The conv yields (Ho+J-1)*s rows. Input rows past that are ones no window
  // reached (floor rounding): their gradient is 0, so add zero dy rows for them.
  const extraH = Math.max(0, Math.ceil((top + h - (ho + jh - 1) * s) / s));
  const extraW = Math.max(0, Math.ceil((left + w - (wo + jw - 1) * s) / s));
  return tf.tidy(() => {
    const packed = packSubPixelFilter(filter, s);
    // Zero-padding dy by J-1 (+extra) is passed to the conv as explicit padding: no padded copy.
    const phases = tf.conv2d(dy, packed, 1, [
      [0, 0],
      [jh - 1, jh - 1 + extraH],
      [jw - 1, jw - 1 + extraW],
      [0, 0],
    ]); // [B, Ho+Jh-1+eh, Wo+Jw-1+ew, s*s*Cin]
    if (simd && s > 1 && phases.dtype === 'float32') {
      // One pass of our SIMD code instead of reshape + transpose + slice (wasm's Slice is a scalar loop).
      const out = empty(simd, [batch, h, w, cin]);
      const [, hq, wq] = phases.shape;
      simdKernels(simd).interleave_crop(offsetOf(simd, phases), offsetOf(simd, out), batch, hq, wq, s, cin, h, w, top, left);
      return out as tf.Tensor4D;
    }
    const full = s > 1 ? interleavePhases(phases, s) : phases; // other backends, or the legacy form
    return tf.slice(full, [0, top, left, 0], [batch, h, w, cin]);
  });
}

/**
 * Which formulation for these shapes (measured on DCGAN layers, CPU time, batch 64):
 * - phase convs (conv_phases.ts): exact work; 1.2x (16x16 maps) to 2x (4x4) faster than the packed
 *   sub-pixel conv with 64+ channels out, but slow with 1-3 channels (XNNPACK's conv with so few
 *   outputs), where GEMM + col2im is fastest (and level with sub-pixel at 3).
 * - GEMM + col2im (conv_gemm.ts): any geometry; writes kh*kw times dx's size in columns.
 * - packed sub-pixel conv (below): equal strides; the fallback when the phase plan does not apply.
 */
function chooseInputMethod(attrs: Attrs, filterShape: number[], dyShape: number[]): 'gemm' | 'phases' | 'subpixel' {
  if (convGradMethods.input !== 'auto') return convGradMethods.input;
  const [sh, sw] = pair(attrs.strides);
  const cin = filterShape[2];
  if (sh * sw * cin < 16) return 'gemm';
  if (planPhases(dyShape, filterShape, attrs)) return 'phases';
  return sh === sw ? 'subpixel' : 'gemm';
}

/** Registry entry: phase convs, GEMM + col2im or the sub-pixel conv (see above), else the stock kernel. */
export function makeConv2dBackpropInputKernel(stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as Attrs;
    const dyInfo = input(args.inputs, 'dy');
    const filterInfo = input(args.inputs, 'filter');
    const backend = args.backend as unknown as WasmBackendLike;
    const f32 = dyInfo.dtype === 'float32' && filterInfo.dtype === 'float32';
    const method = f32 && attrs.dataFormat !== 'NCHW' ? chooseInputMethod(attrs, filterInfo.shape, dyInfo.shape) : 'subpixel';
    const phases = method === 'phases' ? planPhases(dyInfo.shape, filterInfo.shape, attrs) : null;
    if (phases) {
      return tf.tidy(() => conv2dBackpropInputPhases(backend, asTensor<tf.Tensor4D>(dyInfo), asTensor<tf.Tensor4D>(filterInfo), phases));
    }
    if (method === 'gemm') {
      return tf.tidy(() => conv2dBackpropInputGemm(backend, asTensor<tf.Tensor4D>(dyInfo), asTensor<tf.Tensor4D>(filterInfo), attrs));
    }
    if (!fastBackpropInputSupported(attrs)) {
      if (!stock) throw new Error('Conv2DBackpropInput: unsupported attributes and no stock wasm kernel');
      return stock(args);
    }
    const dy = input(args.inputs, 'dy');
    const filter = input(args.inputs, 'filter');
    return tf.tidy(() =>
      conv2dBackpropInputFast(
        asTensor<tf.Tensor4D>(dy),
        asTensor<tf.Tensor4D>(filter),
        attrs,
        f32 && convGradMethods.simdInterleave ? backend : undefined,
      ),
    );
  };
}
