/**
 * Shared by the kernel tests: run the same computation on cpu (reference) and
 * on wasm (with Ganvas' kernels) and compare the numbers.
 */
import { tf } from '../../src-main/engine/backend/tf';

/** Deterministic pseudo-random floats in [-1, 1) (mulberry32), so cpu and wasm see identical data. */
export function randomData(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export interface Result {
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

/** Runs `fn` on `backend` inside tidy and copies the outputs out (dataSync before any switch). */
export async function runOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`cannot switch to ${backend}`);
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out : [out]).map((t) => ({
      shape: t.shape.slice(),
      data: t.dataSync().slice() as Result['data'],
    }));
  });
}

/** max |a - b| / max(1, max |b|): an absolute error for small values, relative for large. */
export function relDiff(a: Result['data'], b: Result['data']): number {
  if (a.length !== b.length) return Infinity;
  let maxErr = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
    if (Number.isNaN(y)) continue;
    maxErr = Math.max(maxErr, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(y));
  }
  return maxErr / scale;
}

/**
 * Runs `fn` on wasm and on cpu; returns the worst relative difference over all outputs
 * (Infinity if shapes differ). Leaves wasm active.
 */
export async function compareBackends(fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const ref = await runOn('cpu', fn);
  const got = await runOn('wasm', fn);
  if (ref.length !== got.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i].shape.join() !== got[i].shape.join()) return Infinity;
    worst = Math.max(worst, relDiff(got[i].data, ref[i].data));
  }
  return worst;
}

/** Calls a kernel directly through the engine (same attrs on every backend). */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** How many matmuls (BatchMatMul kernels, nested ones included) ran inside `fn`: which path a kernel took. */
export async function matmulsIn(fn: () => tf.Tensor): Promise<number> {
  const info = await tf.profile(() => tf.tidy(fn));
  return info.kernels.filter((k) => k.name === 'BatchMatMul').length;
}
