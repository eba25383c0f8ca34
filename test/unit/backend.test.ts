/** Backend selection as it behaves on this machine (no libtensorflow, wasm available). */
import { describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { backendName, getBackendReport, selectBackend } from '../../src-main/engine/backend/select';
import { CPU_PKG, GPU_PKG, probeNativeBinding } from '../../src-main/engine/backend/native';
import {
  registerWasmKernels,
  restoreStockWasmKernels,
  stockWasmKernel,
  wasmKernelsRegistered,
} from '../../src-main/engine/backend/kernels/index';

const nativeMissing = !probeNativeBinding(CPU_PKG).ok && !probeNativeBinding(GPU_PKG).ok;

describe('selectBackend', () => {
  it.runIf(nativeMissing)('auto picks wasm and says why the native backends were skipped', async () => {
    const report = await selectBackend();
    expect(report.requested).toBe('auto');
    expect(report.active).toBe('wasm');
    expect(report.attempts.map((a) => [a.name, a.ok])).toEqual([
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['wasm', true],
    ]);
    expect(report.attempts[0].reason).toMatch(/@tensorflow\/tfjs-node-gpu is (not installed|installed but its native addon is missing)/);
    expect(report.attempts[1].reason).toMatch(/@tensorflow\/tfjs-node is (not installed|installed but its native addon is missing)/);
    expect(report.attempts[2].reason).toBeUndefined();
    expect(tf.getBackend()).toBe('wasm');
    expect(backendName()).toBe('wasm');
    expect(getBackendReport()).toEqual(report);
    expect(wasmKernelsRegistered()).toBe(true);
  });

  it.runIf(nativeMissing)("requesting 'tensorflow' throws a clear message and keeps the last report", async () => {
    const before = getBackendReport();
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      /^Backend 'tensorflow' is unavailable: @tensorflow\/tfjs-node is (not installed|installed but its native addon is missing)/,
    );
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/^Backend 'tensorflow-gpu' is unavailable: /);
    expect(getBackendReport()).toBe(before);
  });

  it("requesting 'cpu' works and computes", async () => {
    const report = await selectBackend('cpu');
    expect(report).toEqual({ active: 'cpu', requested: 'cpu', attempts: [{ name: 'cpu', ok: true }] });
    expect(tf.getBackend()).toBe('cpu');
    expect(backendName()).toBe('cpu');
    const sum = tf.tidy(() => tf.sum(tf.tensor([1, 2, 3.5])).dataSync()[0]);
    expect(sum).toBe(6.5);
  });

  it("requesting 'wasm' works, registers the kernels once, and trains a conv", async () => {
    const report = await selectBackend('wasm');
    expect(report.active).toBe('wasm');
    const kernel = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmKernels();
    await selectBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')).toBe(kernel); // idempotent
    const g = tf.tidy(() => {
      const w = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
      const x = tf.ones([1, 5, 5, 1]) as tf.Tensor4D;
      return tf.grad((ww: tf.Tensor) => tf.sum(tf.conv2d(x, ww as tf.Tensor4D, 1, 'valid')))(w).dataSync().slice();
    });
    expect(Array.from(g)).toEqual(new Array(18).fill(9)); // 3x3 windows over a 5x5 ones image
  });

  it('serialises concurrent selections', async () => {
    const [a, b, c] = await Promise.all([selectBackend('cpu'), selectBackend('wasm'), selectBackend('cpu')]);
    expect([a.active, b.active, c.active]).toEqual(['cpu', 'wasm', 'cpu']);
    expect(tf.getBackend()).toBe('cpu');
    expect(getBackendReport()).toBe(c);
  });
});

describe('wasm kernel registry', () => {
  it('restores the stock kernels and re-installs ours', async () => {
    await selectBackend('wasm');
    restoreStockWasmKernels();
    expect(wasmKernelsRegistered()).toBe(false);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('Tile', 'wasm')?.kernelFunc).toBe(stockWasmKernel('Tile'));
    // The stock Tile still works after the swap back (its wasm binding was set up).
    const t = tf.tidy(() => tf.tile(tf.tensor([1, 2]), [2]).dataSync().slice());
    expect(Array.from(t)).toEqual([1, 2, 1, 2]);
    registerWasmKernels();
    expect(wasmKernelsRegistered()).toBe(true);
  });
});
