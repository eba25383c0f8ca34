/**
 * Ganvas' own matmul for the Winograd planes (gemm in native/ganvas_kernels.c, multiplyPlanes in
 * kernels/winograd.ts) against a float64 reference: row counts around its 6-row blocks, sums
 * around its 4-value steps and longer than its 256-value chunks, column counts of one and several
 * 8-column strips; and the XNNPACK path it replaces, for n that are not a multiple of 8.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { convGradMethods } from '../../src-main/engine/backend/kernels/methods';
import type { WasmBackendLike } from '../../src-main/engine/backend/kernels/simd';
import { multiplyPlanes } from '../../src-main/engine/backend/kernels/winograd';
import { matmulsIn, randomData } from './kernels-helpers';

beforeAll(async () => {
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

const defaults = { ...convGradMethods };
afterAll(() => Object.assign(convGradMethods, defaults));

/** a [m,k] x b [k,n] in float64. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j];
    }
  return c;
}

/** Largest |got - want| over the largest |want|. */
function worst(got: Float32Array, want: Float64Array): number {
  let err = 0;
  let scale = 1e-30;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

/** Two planes of [m,k] x [k,n] through multiplyPlanes; their values and the reference's. */
function planes(m: number, k: number, n: number) {
  const backend = tf.backend() as unknown as WasmBackendLike;
  const a = [randomData(m * k, 41), randomData(m * k, 43)];
  const b = [randomData(k * n, 42), randomData(k * n, 44)];
  return {
    run: () =>
      tf.tidy(() =>
        tf.stack(
          multiplyPlanes(
            backend,
            a.map((v) => tf.tensor2d(v, [m, k])),
            b.map((v) => tf.tensor2d(v, [k, n])),
          ),
        ),
      ),
    want: [reference(a[0], b[0], m, k, n), reference(a[1], b[1], m, k, n)],
  };
}

describe('multiplyPlanes with our gemm (n a multiple of 8) matches a float64 matmul', () => {
  const CASES: [number, number, number][] = [
    [1, 1, 8],
    [5, 3, 8],
    [6, 4, 16],
    [7, 5, 8],
    [13, 37, 24],
    [12, 256, 8],
    [31, 300, 16],
    [128, 1024, 64],
  ];
  it.each(CASES)('should multiply [%i,%i] x [%i-column] planes', async (m, k, n) => {
    const { run, want } = planes(m, k, n);
    const got = run();
    const data = got.dataSync() as Float32Array;
    got.dispose();
    for (let e = 0; e < 2; e++) expect(worst(data.subarray(e * m * n, (e + 1) * m * n), want[e])).toBeLessThan(1e-5);
    expect(await matmulsIn(run)).toBe(0); // no XNNPACK matmul ran
  });
});

describe('multiplyPlanes keeps XNNPACK where it must or is asked to', () => {
  it('should multiply through XNNPACK when n is not a multiple of 8', async () => {
    const { run, want } = planes(9, 20, 12);
    const data = run().dataSync() as Float32Array;
    expect(worst(data.subarray(0, 9 * 12), want[0])).toBeLessThan(1e-5);
    expect(await matmulsIn(run)).toBe(2);
  });

  it('should give the same products with ownGemm off', async () => {
    const { run } = planes(20, 40, 16);
    convGradMethods.ownGemm = false;
    try {
      expect(await matmulsIn(run)).toBe(2);
      const xnn = run().dataSync();
      convGradMethods.ownGemm = true;
      const own = run().dataSync();
      let diff = 0;
      for (let i = 0; i < own.length; i++) diff = Math.max(diff, Math.abs(own[i] - xnn[i]));
      expect(diff).toBeLessThan(1e-4);
    } finally {
      convGradMethods.ownGemm = defaults.ownGemm;
    }
  });

  it('should dispose the left operands and leave only the products', () => {
    const backend = tf.backend() as unknown as WasmBackendLike;
    const before = tf.memory().numTensors;
    const a = [tf.ones([7, 9]) as tf.Tensor2D, tf.ones([7, 9]) as tf.Tensor2D];
    const b = [tf.ones([9, 8]) as tf.Tensor2D, tf.ones([9, 8]) as tf.Tensor2D];
    const out = multiplyPlanes(backend, a, b);
    expect(a.every((t) => t.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 4); // b and the two products
    expect(Array.from(out[1].dataSync().slice(0, 3))).toEqual([9, 9, 9]);
    tf.dispose([b, out]);
  });
});
