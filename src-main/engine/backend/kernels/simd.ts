/**
 * Ganvas' own WebAssembly SIMD kernels (native/ganvas_kernels.c), run on the tfjs wasm backend's
 * heap: the module imports that backend's WebAssembly.Memory, so kernels read and write tensors
 * in place with no copies. One instance per backend memory, created on first use.
 */
import { tf } from '../tf';
import { WASM_BASE64 } from './native/ganvas_kernels.wasm';

/** The WebAssembly API (the node typings this project builds with do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The slice of tfjs' BackendWasm these kernels use. */
export interface WasmBackendLike {
  /** The Emscripten module; `asm.memory` is its WebAssembly.Memory. */
  wasm: { asm: { memory: object }; _malloc(n: number): number; _free(p: number): void };
  dataIdMap: { get(id: unknown): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

export interface SimdExports {
  bn_act_forward(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    variance: number,
    scratch: number,
    rows: number,
    c: number,
    act: number,
    slope: number,
  ): void;
  bn_act_backward(
    dy: number,
    x: number,
    y: number,
    mean: number,
    variance: number,
    gamma: number,
    dx: number,
    dGamma: number,
    dBeta: number,
    scratch: number,
    rows: number,
    c: number,
    act: number,
    slope: number,
  ): void;
  act_grad(dy: number, y: number, dx: number, n: number, act: number, slope: number): void;
  col2im(cols: number, dx: number, ...geometry: ConvGeometryArgs): void;
  im2col_t(x: number, cols: number, offs: number, ...geometry: ConvGeometryArgs): void;
  im2col(x: number, cols: number, ...geometry: ConvGeometryArgs): void;
  transpose2d(src: number, dst: number, batch: number, rows: number, cols: number): void;
  pack_phase_filter(
    w: number,
    f: number,
    kh: number,
    kw: number,
    ci: number,
    co: number,
    s: number,
    ry: number,
    rx: number,
    jy: number,
    jx: number,
  ): void;
  scatter_phase(
    phase: number,
    dx: number,
    batch: number,
    prow: number,
    pcol: number,
    c: number,
    nqy: number,
    nqx: number,
    q0y: number,
    q0x: number,
    s: number,
    ry: number,
    rx: number,
    pt: number,
    pl: number,
    h: number,
    w: number,
  ): void;
  act_forward(x: number, y: number, n: number, act: number, slope: number): void;
  wino_input(
    x: number,
    planes: number,
    offs: number,
    batch: number,
    h: number,
    w: number,
    c: number,
    s: number,
    oy: number,
    ox: number,
    tilesY: number,
    tilesX: number,
  ): void;
  wino_filter(w: number, planes: number, kh: number, kw: number, cin: number, cout: number, s: number): void;
  /** The same with 4x4 output tiles (F(4x4, 2x2), 25 planes). */
  wino4_input(...args: Parameters<SimdExports['wino_input']>): void;
  wino4_filter(...args: Parameters<SimdExports['wino_filter']>): void;
  wino4_output(...args: Parameters<SimdExports['wino_output']>): void;
  gemm_small_mn(a: number, b: number, c: number, m: number, k: number, n: number): void;
  /** c [m,n] = a [m,k] x b [k,n], n a multiple of 8; strip: GEMM_STRIP_FLOATS of scratch. */
  gemm(a: number, b: number, c: number, strip: number, m: number, k: number, n: number): void;
  wino_tiles(dy: number, planes: number, batch: number, ho: number, wo: number, c: number, tilesY: number, tilesX: number): void;
  wino_filter_grad(planes: number, dw: number, kh: number, kw: number, cin: number, cout: number, s: number): void;
  wino_output(
    planes: number,
    y: number,
    batch: number,
    tilesY: number,
    tilesX: number,
    c: number,
    ny: number,
    nx: number,
    os: number,
    oy: number,
    ox: number,
    h: number,
    w: number,
  ): void;
  interleave_crop(
    phases: number,
    out: number,
    batch: number,
    hq: number,
    wq: number,
    s: number,
    c: number,
    h: number,
    w: number,
    pt: number,
    pl: number,
  ): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    p2: number,
    m2: number,
    v2: number,
    n: number,
    b1: number,
    oneMinusB1: number,
    b2: number,
    oneMinusB2: number,
    alpha: number,
    eps: number,
  ): void;
}

/** batch, h, w, c (the conv input), ho, wo (its output), kh, kw, sh, sw, padTop, padLeft. */
export type ConvGeometryArgs = [number, number, number, number, number, number, number, number, number, number, number, number];

/** The C kernels' geometry arguments for a conv from tfjs' Conv2DInfo. */
export function convGeometry(info: tf.backend_util.Conv2DInfo): ConvGeometryArgs {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

let module: object | null = null;
const instances = new WeakMap<object, SimdExports>();

/** The kernels bound to `backend`'s heap (compiled once per process, instantiated once per heap). */
export function simdKernels(backend: WasmBackendLike): SimdExports {
  const memory = backend.wasm.asm.memory;
  let inst = instances.get(memory);
  if (!inst) {
    module ??= new WA.Module(Buffer.from(WASM_BASE64, 'base64'));
    inst = new WA.Instance(module, { env: { memory } }).exports as unknown as SimdExports;
    instances.set(memory, inst);
  }
  return inst;
}

/** Heap offset of a tensor's data. */
export function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new Error('tensor is not on the wasm backend');
  return d.memoryOffset;
}

/** Runs `fn` with `floats` floats of scratch from the backend's allocator. */
export function withScratch<T>(backend: WasmBackendLike, floats: number, fn: (ptr: number) => T): T {
  const ptr = backend.wasm._malloc(Math.max(4, floats * 4)) >>> 0;
  try {
    return fn(ptr);
  } finally {
    backend.wasm._free(ptr);
  }
}

/** Activation codes of the C kernels. */
export const ACT_CODE = { none: 0, relu: 1, lrelu: 2, tanh: 3 } as const;
