/**
 * Micro-benchmark of Ganvas' custom wasm kernels against the stock wasm ones,
 * on DCGAN shapes (MNIST preset and the paper's 64x64 preset, kernel 4 stride 2).
 *
 *   npx tsx test/bench/kernels.ts        # prints JSON
 *
 * "stock" = the wasm backend as shipped plus only our Conv2DBackpropFilter
 * (without it nothing can train); "fast" = all three custom kernels. `winogradPlanes`: the 9
 * planes of one Winograd conv multiplied by XNNPACK ("stock") and by our gemm ("fast").
 */
import { pathToFileURL } from 'node:url';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { registerWasmKernels, restoreStockWasmKernels } from '../../src-main/engine/backend/kernels/index';
import { installWasmKernel } from '../../src-main/engine/backend/kernels/registry';
import { conv2dBackpropFilterKernel } from '../../src-main/engine/backend/kernels/conv2d_backprop_filter';
import { convGradMethods } from '../../src-main/engine/backend/kernels/methods';
import type { WasmBackendLike } from '../../src-main/engine/backend/kernels/simd';
import { multiplyPlanes } from '../../src-main/engine/backend/kernels/winograd';

type Shape4 = [number, number, number, number];

export interface KernelTiming {
  name: string;
  stockMs: number;
  fastMs: number;
  /** stockMs / fastMs. */
  speedup: number;
  /** max |fast - stock| over the output (sanity check that both computed the same). */
  maxAbsDiff: number;
}

export interface KernelBench {
  backend: string;
  simd: boolean;
  /** Timed runs per side and measurement (after one warm-up); the median is reported. */
  runs: number;
  conv2dBackpropInput: KernelTiming[];
  tile: KernelTiming[];
  /** One Winograd conv's 9 plane products ([m,k] x [k,n] each) on paper64's 32-image shapes: XNNPACK against our gemm. */
  winogradPlanes: KernelTiming[];
  /** variableGrads of a conv G + D chain on MNIST shapes (batch 64). */
  trainStep: KernelTiming;
}

function useStock(): void {
  restoreStockWasmKernels();
  installWasmKernel('Conv2DBackpropFilter', () => conv2dBackpropFilterKernel);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs `fn` once in a tidy; returns ms (wasm runs synchronously, so this is the whole computation). */
function timeOnce(fn: () => tf.Tensor | tf.Tensor[]): number {
  return tf.tidy(() => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  });
}

function outputs(fn: () => tf.Tensor | tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const r = fn();
    return (Array.isArray(r) ? r : [r]).map((t) => (t.dataSync() as Float32Array).slice());
  });
}

/**
 * Stock and fast runs alternate (after a warm-up of each) so that load from
 * other processes on the machine hits both sides alike; medians are reported.
 */
function compare(
  name: string,
  fn: () => tf.Tensor | tf.Tensor[],
  runs: number,
  sides: { stock: () => void; fast: () => void } = { stock: useStock, fast: registerWasmKernels },
): KernelTiming {
  sides.stock();
  const stockOut = outputs(fn);
  sides.fast();
  const fastOut = outputs(fn);
  const stock: number[] = [];
  const fast: number[] = [];
  for (let i = 0; i < runs; i++) {
    sides.stock();
    stock.push(timeOnce(fn));
    sides.fast();
    fast.push(timeOnce(fn));
  }
  let maxAbsDiff = 0;
  stockOut.forEach((s, j) => {
    for (let i = 0; i < s.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(s[i] - fastOut[j][i]));
  });
  const r = (x: number) => Math.round(x * 100) / 100;
  const [st, ft] = [median(stock), median(fast)];
  return { name, stockMs: r(st), fastMs: r(ft), speedup: r(st / ft), maxAbsDiff };
}

/** conv2dTranspose k4 s2 'same' from [B,h,h,cin] to [B,2h,2h,cout] (= Conv2DBackpropInput). */
function deconv(batch: number, h: number, cin: number, cout: number) {
  const x = tf.randomNormal([batch, h, h, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([4, 4, cout, cin], 0, 0.02, 'float32', 2) as tf.Tensor4D;
  const out: Shape4 = [batch, 2 * h, 2 * h, cout];
  return {
    name: `[${x.shape}]->[${out}] k4 s2`,
    fn: () => tf.conv2dTranspose(x, w, out, 2, 'same'),
    dispose: () => tf.dispose([x, w]),
  };
}

function tileCase(c: number, reps: number[]) {
  const x = tf.randomNormal([1, 1, 1, c], 0, 1, 'float32', 3);
  return { name: `[1,1,1,${c}] x [${reps}]`, fn: () => tf.tile(x, reps), dispose: () => x.dispose() };
}

/**
 * The 9 planes of a Winograd conv, [m,k] x [k,n] each. Every call multiplies copies (wasm's
 * Identity copies): in training the right operands are new transformed filters each step, which
 * XNNPACK packs afresh (its packed copy is cached only while the same tensor lives).
 */
function planesCase(m: number, k: number, n: number) {
  const a = Array.from({ length: 9 }, (_, e) => tf.randomNormal([m, k], 0, 1, 'float32', 20 + e) as tf.Tensor2D);
  const b = Array.from({ length: 9 }, (_, e) => tf.randomNormal([k, n], 0, 1, 'float32', 40 + e) as tf.Tensor2D);
  const backend = tf.backend() as unknown as WasmBackendLike;
  return {
    name: `9 x [${m},${k}] x [${k},${n}]`,
    fn: () =>
      multiplyPlanes(
        backend,
        a.map((t) => t.clone()),
        b.map((t) => t.clone()),
      ),
    dispose: () => tf.dispose([...a, ...b]),
  };
}

const ownGemmSides = {
  stock: () => void (convGradMethods.ownGemm = false),
  fast: () => void (convGradMethods.ownGemm = true),
};

/** MNIST G (z -> 7x7x128 -> 14x14x64 -> 28x28x1) then D (28 -> 14x64 -> 7x128 -> 1), BatchNorm on hidden layers. */
function trainStepCase(batch: number) {
  const rnd = (shape: number[], seed: number, std = 0.02) => tf.variable(tf.randomNormal(shape, 0, std, 'float32', seed));
  const v = {
    g0: rnd([100, 7 * 7 * 128], 10),
    g1: rnd([4, 4, 64, 128], 11),
    g2: rnd([4, 4, 1, 64], 12),
    d1: rnd([4, 4, 1, 64], 13),
    d2: rnd([4, 4, 64, 128], 14),
    d3: rnd([7 * 7 * 128, 1], 15),
    gg0: tf.variable(tf.ones([128])),
    gb0: tf.variable(tf.zeros([128])),
    gg1: tf.variable(tf.ones([64])),
    gb1: tf.variable(tf.zeros([64])),
    dg2: tf.variable(tf.ones([128])),
    db2: tf.variable(tf.zeros([128])),
  };
  const z = tf.randomNormal([batch, 100], 0, 1, 'float32', 16);
  const bn = (h: tf.Tensor4D, g: tf.Tensor, b: tf.Tensor): tf.Tensor4D => {
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    return tf.batchNorm(h, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5) as tf.Tensor4D;
  };
  const loss = (): tf.Scalar => {
    let h = tf.reshape(tf.matMul(z, v.g0), [batch, 7, 7, 128]) as tf.Tensor4D;
    h = tf.relu(bn(h, v.gg0, v.gb0));
    h = tf.relu(bn(tf.conv2dTranspose(h, v.g1 as tf.Tensor4D, [batch, 14, 14, 64], 2, 'same'), v.gg1, v.gb1));
    const img = tf.tanh(tf.conv2dTranspose(h, v.g2 as tf.Tensor4D, [batch, 28, 28, 1], 2, 'same'));
    let d = tf.leakyRelu(tf.conv2d(img, v.d1 as tf.Tensor4D, 2, 'same'), 0.2);
    d = tf.leakyRelu(bn(tf.conv2d(d, v.d2 as tf.Tensor4D, 2, 'same'), v.dg2, v.db2), 0.2);
    const logit = tf.matMul(tf.reshape(d, [batch, -1]), v.d3);
    return tf.mean(tf.softplus(tf.neg(logit)));
  };
  return {
    name: `MNIST G+D variableGrads, batch ${batch}`,
    fn: () => {
      const { value, grads } = tf.variableGrads(loss);
      return [value, ...Object.keys(v).map((k) => grads[v[k as keyof typeof v].name])];
    },
    dispose: () => tf.dispose([z, ...Object.values(v)]),
  };
}

/** Runs the benchmark on wasm and returns the timings (leaves the custom kernels installed). */
export async function benchKernels(opts: { runs?: number } = {}): Promise<KernelBench> {
  const runs = opts.runs ?? 5;
  await selectBackend('wasm');
  const time = <C extends { name: string; fn: () => tf.Tensor | tf.Tensor[]; dispose: () => void }>(
    c: C,
    sides?: Parameters<typeof compare>[3],
  ) => {
    try {
      return compare(c.name, c.fn, runs, sides);
    } finally {
      c.dispose();
    }
  };
  const conv2dBackpropInput = [
    deconv(64, 7, 128, 64), // MNIST G g1
    deconv(64, 14, 64, 1), // MNIST G g2
    deconv(32, 4, 1024, 512), // 64x64 G g1 (batch 32)
    deconv(32, 8, 512, 256),
    deconv(32, 16, 256, 128),
    deconv(32, 32, 128, 3),
  ].map((c) => time(c));
  const tile = [
    tileCase(64, [64, 14, 14, 1]),
    tileCase(128, [64, 7, 7, 1]),
    tileCase(128, [32, 32, 32, 1]),
    tileCase(256, [32, 16, 16, 1]),
  ].map((c) => time(c));
  const winogradPlanes = [
    planesCase(128, 1024, 512), // D 8->4 forward (s2d: 4*256 channels), 4 tiles x 32 images
    planesCase(128, 512, 256), // G 4->8 phases
    planesCase(512, 512, 256), // D 16->8 forward
    planesCase(512, 256, 128), // G 8->16 phases
  ].map((c) => time(c, ownGemmSides));
  convGradMethods.ownGemm = true;
  const trainStep = time(trainStepCase(64));
  registerWasmKernels();
  return {
    backend: tf.getBackend(),
    simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
    runs,
    conv2dBackpropInput,
    tile,
    winogradPlanes,
    trainStep,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  console.log(JSON.stringify(await benchKernels({ runs }), null, 2));
}
