/**
 * Transposed conv (= a conv's input gradient, Conv2DBackpropInput) as s*s exact "phase" convs on
 * the wasm backend. Output pixel y of a stride-s transposed conv only receives the taps
 * ry + s*m of the filter, ry = (y + padTop) mod s, so the output splits into s*s phases, each a
 * plain stride-1 conv of dy with a small filter (ceil(k/s) taps a side). Unlike the packed
 * sub-pixel conv (conv2d_backprop_input.ts), every phase computes exactly its own pixels: no work
 * on padding rows, which is +56% on a 4x4 map and +27% on 8x8. Our SIMD code packs the phase
 * filters and writes each phase into place; XNNPACK runs the convs, or (2x2 taps, enough
 * channels) Winograd F(2x2, 2x2) does (winograd.ts).
 */
import { tf } from '../tf';
import { empty } from './conv_gemm';
import { convGradMethods } from './methods';
import { offsetOf, simdKernels, type WasmBackendLike } from './simd';
import { channelsLastConvInfo } from './util';
import { reusedFilter, tileSizeFor, WINOGRAD_MIN_CHANNELS, winogradFilter, winogradOutput, winogradProducts } from './winograd';

type Attrs = tf.Conv2DBackpropInputAttrs;

interface AxisPhase {
  /** Phase index (offset within a stride). */
  r: number;
  /** Filter taps of this phase: r, r+s, ... < k. */
  taps: number;
  /** First and count of the phase's rows q (output row y = q*s + r - pad). */
  q0: number;
  count: number;
  /** Conv padding before/after so that conv row t is phase row q0 + t. */
  before: number;
  after: number;
}

/** The phases along one axis, or null when the layout needs what this path does not do. */
function axisPhases(k: number, s: number, pad: number, size: number, dySize: number): AxisPhase[] | null {
  const out: AxisPhase[] = [];
  for (let r = 0; r < s; r++) {
    const taps = Math.ceil((k - r) / s);
    if (taps <= 0) return null; // kernel smaller than the stride: pixels with no taps
    const q0 = Math.ceil((pad - r) / s);
    const q1 = Math.floor((size - 1 + pad - r) / s);
    const count = q1 - q0 + 1;
    const before = taps - 1 - q0;
    if (before < 0) return null; // would need a negative padding (a crop of dy)
    const after = Math.max(0, count + taps - 1 - before - dySize);
    out.push({ r, taps, q0, count, before, after });
  }
  return out;
}

/**
 * Phase conv as XNNPACK conv or as im2col + matmul? The conv pays tfjs' slow re-layout of each new
 * filter (phase filters are new every call); im2col writes the windows out. With few output
 * pixels per output channel the filter dominates: GEMM (see conv_gemm.ts's conv2dGemm).
 */
function phaseAsGemm(pixels: number, cout: number): boolean {
  if (convGradMethods.forward !== 'auto') return convGradMethods.forward === 'gemm';
  return pixels / cout < GEMM_PIXELS_PER_CHANNEL;
}

/** A phase with 2x2 taps and enough channels runs as Winograd F(2x2, 2x2) (winograd.ts). */
function phaseAsWinograd(py: AxisPhase, px: AxisPhase, cout: number): boolean {
  return convGradMethods.winograd && py.taps === 2 && px.taps === 2 && cout >= WINOGRAD_MIN_CHANNELS;
}

/** Below this many output pixels per output channel, im2col + matmul beats tfjs' conv (measured). */
export const GEMM_PIXELS_PER_CHANNEL = 20;

export interface PhasePlan {
  info: tf.backend_util.Conv2DInfo;
  rows: AxisPhase[];
  cols: AxisPhase[];
}

/** Plans the phase convs for these attributes (NHWC, equal strides), or null if unsupported. */
export function planPhases(dyShape: number[], filterShape: number[], attrs: Attrs): PhasePlan | null {
  if (attrs.dataFormat === 'NCHW') return null;
  const info = channelsLastConvInfo(attrs.inputShape, filterShape, attrs);
  if (info.strideHeight !== info.strideWidth || info.outHeight !== dyShape[1] || info.outWidth !== dyShape[2]) return null;
  const s = info.strideHeight;
  const rows = axisPhases(info.filterHeight, s, info.padInfo.top, info.inHeight, info.outHeight);
  const cols = axisPhases(info.filterWidth, s, info.padInfo.left, info.inWidth, info.outWidth);
  return rows && cols ? { info, rows, cols } : null;
}

/**
 * dx of a conv from dy and the conv's filter.
 * @param dy [B,Ho,Wo,Cout]  @param filter [kh,kw,Cin,Cout]  @returns [B,H,W,Cin]
 */
export function conv2dBackpropInputPhases(backend: WasmBackendLike, dy: tf.Tensor4D, filter: tf.Tensor4D, plan: PhasePlan): tf.Tensor4D {
  const { info } = plan;
  const [kh, kw, ci, co] = filter.shape;
  const s = info.strideHeight;
  const k = simdKernels(backend);
  return tf.tidy(() => {
    const dx = empty(backend, [info.batchSize, info.inHeight, info.inWidth, ci]);
    for (const py of plan.rows)
      for (const px of plan.cols) {
        if (py.count <= 0 || px.count <= 0) continue;
        tf.tidy(() => {
          const phaseFilter = () => {
            const f = empty(backend, [py.taps, px.taps, co, ci]) as tf.Tensor4D;
            k.pack_phase_filter(offsetOf(backend, filter), offsetOf(backend, f), kh, kw, ci, co, s, py.r, px.r, py.taps, px.taps);
            return f;
          };
          if (phaseAsWinograd(py, px, co)) {
            const m = tileSizeFor(py.count, px.count);
            const at = { m, s: 1, oy: -py.before, ox: -px.before, tilesY: Math.ceil(py.count / m), tilesX: Math.ceil(px.count / m) };
            const planes = reusedFilter(filter, `phase ${s} ${py.r} ${px.r} ${py.taps} ${px.taps} ${m}`, () =>
              tf.tidy(() => winogradFilter(backend, phaseFilter(), 1, m)),
            );
            const products = winogradProducts(backend, dy, at, planes);
            const [oy, ox] = [py.q0 * s + py.r - info.padInfo.top, px.q0 * s + px.r - info.padInfo.left];
            winogradOutput(backend, products, dx as tf.Tensor4D, at, { ny: py.count, nx: px.count, os: s, oy, ox });
            return;
          }
          const f = phaseFilter();
          let phase: tf.Tensor;
          let prow: number;
          let pcol: number;
          if (phaseAsGemm(info.batchSize * py.count * px.count, co)) {
            // Exactly the phase's pixels: im2col of dy over the phase window, times f as [taps*co, ci].
            const cols = empty(backend, [info.batchSize * py.count * px.count, py.taps * px.taps * co]);
            k.im2col(
              offsetOf(backend, dy),
              offsetOf(backend, cols),
              info.batchSize,
              info.outHeight,
              info.outWidth,
              co,
              py.count,
              px.count,
              py.taps,
              px.taps,
              1,
              1,
              py.before,
              px.before,
            );
            phase = tf.matMul(cols as tf.Tensor2D, tf.reshape(f, [py.taps * px.taps * co, ci]) as tf.Tensor2D);
            [prow, pcol] = [py.count, px.count];
          } else {
            phase = tf.conv2d(dy, f as tf.Tensor4D, 1, [
              [0, 0],
              [py.before, py.after],
              [px.before, px.after],
              [0, 0],
            ]);
            [, prow, pcol] = phase.shape as [number, number, number, number];
          }
          k.scatter_phase(
            offsetOf(backend, phase),
            offsetOf(backend, dx),
            info.batchSize,
            prow,
            pcol,
            ci,
            py.count,
            px.count,
            py.q0,
            px.q0,
            s,
            py.r,
            px.r,
            info.padInfo.top,
            info.padInfo.left,
            info.inHeight,
            info.inWidth,
          );
        });
      }
    return dx as tf.Tensor4D;
  });
}
