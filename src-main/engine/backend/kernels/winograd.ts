/**
 * Convolutions with 2x2 taps as Winograd transforms on the wasm backend (Lavin & Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2016): F(2x2, 2x2) takes 9 products per 2x2 output
 * tile and channel pair instead of 16, F(4x4, 2x2) 25 per 4x4 tile instead of 64, so the matmuls
 * (nearly all of a DCGAN step) do 56% or 39% of the work. F(2x2, 2x2)'s transforms use only 0 and
 * +-1 (float rounding as the direct conv); F(4x4, 2x2)'s fractions cost a little accuracy (~2e-6 of
 * the largest output, see native/ganvas_kernels.c), and its 4x4 tiles suit large maps only.
 *
 * Two uses, both of DCGAN's 4x4 stride-2 layers:
 * - a conv with stride s and a kernel of s+1..2s taps is a 2x2-tap stride-1 conv over the
 *   space-to-depth image (s x s pixel blocks as channels), read in place by the input transform;
 *   so is its weight gradient (F(2x2, 2x2) with dy's 2x2 tiles as the "filter");
 * - each phase of a transposed conv (conv_phases.ts) with 2x2 taps is one directly.
 * Our SIMD code (native/ganvas_kernels.c: wino*_input, wino*_filter, wino*_output, wino_tiles,
 * wino_filter_grad) writes the transformed planes as separate tensors, our gemm multiplies each
 * pair (multiplyPlanes; XNNPACK where the channels are not a multiple of 8: tfjs-wasm's batched
 * matmul is a scalar loop), and the output transform writes into place.
 */
import { tf } from '../tf';
import { empty } from './conv_gemm';
import { transposeLast2 } from './matmul';
import { convGradMethods } from './methods';
import { offsetOf, simdKernels, withScratch, type WasmBackendLike } from './simd';

/** Output tile side: F(2x2, 2x2) or F(4x4, 2x2). */
export type TileSize = 2 | 4;

/** Transformed planes of a tile size: (m + 1)^2. */
const terms = (m: TileSize) => (m + 1) * (m + 1);

/** Where the conv's input comes from: virtual pixel (Y, X) = the s x s block at (Y*s + oy, X*s + ox). */
export interface WinogradInput {
  m: TileSize;
  s: number;
  oy: number;
  ox: number;
  /** Output tiles (m x m each) down and across. */
  tilesY: number;
  tilesX: number;
}

/** Calls `fn` with the heap offset of an int array of the planes' offsets (and as many ints of scratch after it). */
function withPlanes<T>(backend: WasmBackendLike, planes: tf.TensorInfo[], fn: (ptrs: number, offs: number) => T): T {
  return withScratch(backend, 2 * planes.length, (ptr) => {
    const memory = backend.wasm.asm.memory as { buffer: ArrayBuffer };
    new Int32Array(memory.buffer, ptr, planes.length).set(planes.map((p) => offsetOf(backend, p)));
    return fn(ptr, ptr + planes.length * 4);
  });
}

const newPlanes = (backend: WasmBackendLike, m: TileSize, shape: [number, number]) =>
  Array.from({ length: terms(m) }, () => empty(backend, shape) as tf.Tensor2D);

/**
 * The transformed filters, each [s*s*cin, cout].
 * @param w [kh,kw,cin,cout], kh and kw <= 2s (taps past the kernel are zero)
 */
export function winogradFilter(backend: WasmBackendLike, w: tf.Tensor4D, s: number, m: TileSize): tf.Tensor2D[] {
  const [kh, kw, cin, cout] = w.shape;
  const planes = newPlanes(backend, m, [s * s * cin, cout]);
  const k = simdKernels(backend);
  const transform = m === 4 ? k.wino4_filter : k.wino_filter;
  withPlanes(backend, planes, (ptrs) => transform(offsetOf(backend, w), ptrs, kh, kw, cin, cout, s));
  return planes;
}

/** Transformed filters of this scope: by the source filter's buffer, then by transform. */
let reuse: Map<object, Map<string, tf.Tensor2D[]>> | null = null;

/** Transforms made and reused inside withFilterReuse scopes since the process started (tests, profiles). */
export const filterReuseCounts = { made: 0, reused: 0 };

/**
 * Runs `fn` with the transformed filters shared between its convs, and frees them when it returns.
 * A training step runs D over the real and then the fake images with the same weights, forward and
 * backward: each of D's transforms (and XNNPACK's packing of it, which tfjs-wasm caches on the
 * matmul's right operand while that tensor lives) is then made once instead of twice. A buffer
 * identifies its values: tfjs never writes into a live tensor, and a variable's assign takes a new
 * buffer, so updated weights miss.
 */
export function withFilterReuse<T>(fn: () => T): T {
  if (reuse || !convGradMethods.reuseFilters) return fn();
  reuse = new Map();
  try {
    return fn();
  } finally {
    for (const byKey of reuse.values()) for (const planes of byKey.values()) tf.dispose(planes);
    reuse = null;
  }
}

/** `make()`'s planes for filter `source` and transform `key`, shared within a withFilterReuse scope. */
export function reusedFilter(source: tf.TensorInfo, key: string, make: () => tf.Tensor2D[]): tf.Tensor2D[] {
  if (!reuse) return make();
  const byKey = reuse.get(source.dataId) ?? new Map<string, tf.Tensor2D[]>();
  reuse.set(source.dataId, byKey);
  let planes = byKey.get(key);
  if (planes) filterReuseCounts.reused++;
  else {
    byKey.set(key, (planes = make().map((p) => tf.keep(p))));
    filterReuseCounts.made++;
  }
  return planes;
}

/** The transformed input planes of x, each [batch*tilesY*tilesX, s*s*C]. */
function winogradInput(backend: WasmBackendLike, x: tf.Tensor4D, at: WinogradInput): tf.Tensor2D[] {
  const [batch, h, w, c] = x.shape;
  const planes = newPlanes(backend, at.m, [batch * at.tilesY * at.tilesX, at.s * at.s * c]);
  const k = simdKernels(backend);
  const transform = at.m === 4 ? k.wino4_input : k.wino_input;
  withPlanes(backend, planes, (ptrs, offs) =>
    transform(offsetOf(backend, x), ptrs, offs, batch, h, w, c, at.s, at.oy, at.ox, at.tilesY, at.tilesX),
  );
  return planes;
}

/** Scratch floats of the C gemm's packed strip of b (GEMM_KC * 8 in ganvas_kernels.c). */
const GEMM_STRIP_FLOATS = 256 * 8;

/**
 * a[e] x b[e] for each plane ([m,k] x [k,n] each), disposing a[e] as it goes (the transformed
 * inputs are the largest intermediate). Our gemm reads b where it lies; XNNPACK (through
 * tf.matMul) would first repack each b, which are new transformed filters every step (see
 * ganvas_kernels.c, gemm). XNNPACK keeps n that are not a multiple of 8.
 */
export function multiplyPlanes(backend: WasmBackendLike, a: tf.Tensor2D[], b: tf.Tensor2D[]): tf.Tensor2D[] {
  const [m, k] = a[0].shape;
  const n = b[0].shape[1];
  if (!convGradMethods.ownGemm || n % 8 !== 0) {
    return a.map((p, e) => {
      const product = tf.matMul(p, b[e]) as tf.Tensor2D;
      p.dispose();
      return product;
    });
  }
  const gemm = simdKernels(backend).gemm;
  return withScratch(backend, GEMM_STRIP_FLOATS, (strip) =>
    a.map((p, e) => {
      const product = empty(backend, [m, n]) as tf.Tensor2D;
      gemm(offsetOf(backend, p), offsetOf(backend, b[e]), offsetOf(backend, product), strip, m, k, n);
      p.dispose();
      return product;
    }),
  );
}

/**
 * The products of transformed input and filter, each [batch*tilesY*tilesX, cout].
 * @param x [B,H,W,C]  @param filter winogradFilter's planes (same tile size)
 */
export function winogradProducts(backend: WasmBackendLike, x: tf.Tensor4D, at: WinogradInput, filter: tf.Tensor2D[]): tf.Tensor2D[] {
  return multiplyPlanes(backend, winogradInput(backend, x, at), filter);
}

/** Where the output tiles go: conv output (Y, X) < (ny, nx) to pixel (Y*os + oy, X*os + ox) of `y`. */
export interface WinogradOutput {
  ny: number;
  nx: number;
  os: number;
  oy: number;
  ox: number;
}

/** Inverse transform of the products into `y` [B,H,W,C] (only the pixels `to` names are written). */
export function winogradOutput(
  backend: WasmBackendLike,
  products: tf.Tensor2D[],
  y: tf.Tensor4D,
  at: WinogradInput,
  to: WinogradOutput,
): void {
  const [batch, h, w, c] = y.shape;
  const k = simdKernels(backend);
  const transform = at.m === 4 ? k.wino4_output : k.wino_output;
  withPlanes(backend, products, (ptrs) =>
    transform(ptrs, offsetOf(backend, y), batch, at.tilesY, at.tilesX, c, to.ny, to.nx, to.os, to.oy, to.ox, h, w),
  );
}

/** Below this many channels of the space-to-depth image (s*s*cin) the direct conv is kept (measured). */
export const WINOGRAD_MIN_CHANNELS = 64;

/** Outputs this many rows and columns (per image, per phase) or more take 4x4 tiles (measured on DCGAN's layers). */
export const WINOGRAD_4X4_MIN_SIDE = 16;

/** The tile size for a conv output (or transposed-conv phase) of ny x nx pixels. */
export function tileSizeFor(ny: number, nx: number): TileSize {
  return convGradMethods.winograd4x4 && Math.min(ny, nx) >= WINOGRAD_4X4_MIN_SIDE ? 4 : 2;
}

/** Whether a forward conv (NHWC, float32, no dilation) runs as Winograd over the space-to-depth image. */
export function winogradConvApplies(info: tf.backend_util.Conv2DInfo): boolean {
  const s = info.strideHeight;
  const fits = (k: number) => k > s && k <= 2 * s;
  return (
    convGradMethods.winograd &&
    info.strideWidth === s &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    fits(info.filterHeight) &&
    fits(info.filterWidth) &&
    s * s * info.inChannels >= WINOGRAD_MIN_CHANNELS
  );
}

/** The output tiles and input offset of a conv's Winograd form over the space-to-depth image. */
function convTiles(info: tf.backend_util.Conv2DInfo, m: TileSize): WinogradInput {
  return {
    m,
    s: info.strideHeight,
    oy: -info.padInfo.top,
    ox: -info.padInfo.left,
    tilesY: Math.ceil(info.outHeight / m),
    tilesX: Math.ceil(info.outWidth / m),
  };
}

/**
 * A conv (stride s, kernel s+1..2s) as Winograd over the space-to-depth image of x.
 * @param x [B,H,W,Cin]  @param filter [kh,kw,Cin,Cout]  @returns [B,Ho,Wo,Cout]
 */
export function conv2dWinograd(
  backend: WasmBackendLike,
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const at = convTiles(info, tileSizeFor(info.outHeight, info.outWidth));
  return tf.tidy(() => {
    const planes = reusedFilter(filter, `conv ${at.s} ${at.m}`, () => winogradFilter(backend, filter, at.s, at.m));
    const products = winogradProducts(backend, x, at, planes);
    const y = empty(backend, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]) as tf.Tensor4D;
    winogradOutput(backend, products, y, at, { ny: info.outHeight, nx: info.outWidth, os: 1, oy: 0, ox: 0 });
    return y;
  });
}

/**
 * The weight gradient of such a conv (F(2x2, 2x2)): per 2x2 tile of dy, the 3x3 window of the
 * space-to-depth image it was computed from; dW's 2x2 virtual taps = A^T [sum over tiles of
 * (B^T x B) (G dy G^T)] A, the sums being 9 matmuls [s*s*Cin, tiles] x [tiles, Cout].
 * @param x [B,H,W,Cin]  @param dy [B,Ho,Wo,Cout]  @returns [kh,kw,Cin,Cout] (info's filter)
 */
export function conv2dBackpropFilterWinograd(
  backend: WasmBackendLike,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const at = convTiles(info, 2);
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
  return tf.tidy(() => {
    const tiles = newPlanes(backend, 2, [info.batchSize * at.tilesY * at.tilesX, cout]);
    withPlanes(backend, tiles, (ptrs) =>
      simdKernels(backend).wino_tiles(
        offsetOf(backend, dy),
        ptrs,
        info.batchSize,
        info.outHeight,
        info.outWidth,
        cout,
        at.tilesY,
        at.tilesX,
      ),
    );
    // [s*s*Cin, tiles] x [tiles, Cout]: each input plane transposed by our SIMD code, then multiplied plainly.
    const inputT = winogradInput(backend, x, at).map((p) => {
      const t = transposeLast2(backend, p) as tf.Tensor2D;
      p.dispose();
      return t;
    });
    const sums = multiplyPlanes(backend, inputT, tiles);
    tf.dispose(tiles);
    const dw = empty(backend, [kh, kw, cin, cout]) as tf.Tensor4D;
    withPlanes(backend, sums, (ptrs) => simdKernels(backend).wino_filter_grad(ptrs, offsetOf(backend, dw), kh, kw, cin, cout, at.s));
    return dw;
  });
}
