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
 *   and depthToSpace(s) moves phase (ry, rx) to pixel (q*s+ry, p*s+rx).
 *   The result is indexed by padded-input row, so crop from (pt, pl).
 *
 * Unsupported cases (NCHW, unequal strides) fall back to the stock kernel.
 */
import { tf } from '../tf';
import { asTensor, input, pair } from './util';

type Attrs = tf.Conv2DBackpropInputAttrs;

/**
 * Packs a forward conv filter into the sub-pixel filter described above.
 * @param w forward filter [kh,kw,Cin,Cout]
 * @returns [Jh,Jw,Cout,s*s*Cin], Jh = ceil(kh/s), Jw = ceil(kw/s)
 */
export function packSubPixelFilter(w: tf.Tensor4D, s: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = w.shape;
  const jh = Math.ceil(kh / s);
  const jw = Math.ceil(kw / s);
  return tf.tidy(() => {
    // Zero taps make every phase J taps long; ky = m*s + ry splits into (m, ry).
    const padded = tf.pad(w, [
      [0, jh * s - kh],
      [0, jw * s - kw],
      [0, 0],
      [0, 0],
    ]);
    const split = tf.reshape(padded, [jh, s, jw, s, cin, cout]); // [m, ry, n, rx, ci, co]
    const flipped = tf.reverse(split, [0, 2]); // m -> a = J-1-m
    const ordered = tf.transpose(flipped, [0, 2, 5, 1, 3, 4]); // [a, b, co, ry, rx, ci]
    return tf.reshape(ordered, [jh, jw, cout, s * s * cin]);
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
export function conv2dBackpropInputFast(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Attrs): tf.Tensor4D {
  const { strides, pad, dimRoundingMode, inputShape } = attrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
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
    const dyp = tf.pad(dy, [
      [0, 0],
      [jh - 1, jh - 1 + extraH],
      [jw - 1, jw - 1 + extraW],
      [0, 0],
    ]);
    const phases = tf.conv2d(dyp, packed, 1, 'valid'); // [B, Ho+Jh-1+eh, Wo+Jw-1+ew, s*s*Cin]
    const full = s > 1 ? tf.depthToSpace(phases, s, 'NHWC') : phases;
    return tf.slice(full, [0, top, left, 0], [batch, h, w, cin]);
  });
}

/** Registry entry: the fast path, or the stock kernel where unsupported. */
export function makeConv2dBackpropInputKernel(stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as Attrs;
    if (!fastBackpropInputSupported(attrs)) {
      if (!stock) throw new Error('Conv2DBackpropInput: unsupported attributes and no stock wasm kernel');
      return stock(args);
    }
    const dy = input(args.inputs, 'dy');
    const filter = input(args.inputs, 'filter');
    return tf.tidy(() => conv2dBackpropInputFast(asTensor<tf.Tensor4D>(dy), asTensor<tf.Tensor4D>(filter), attrs));
  };
}
