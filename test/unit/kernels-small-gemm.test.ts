/**
 * Weight gradients with few rows (a first layer's kh*kw*Cin <= 64) through Ganvas' own matmul
 * (gemm_small_mn in native/ganvas_kernels.c) instead of XNNPACK's, against the cpu backend:
 * row counts that are and are not multiples of its 3-row blocks, sums longer than its 1,024-value
 * chunks, and whether the path ran (no XNNPACK matmul inside).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { convGradMethods } from '../../src-main/engine/backend/kernels/methods';
import { compareBackends, matmulsIn, randomData, runKernel } from './kernels-helpers';

const TOL = 1e-5;

type Shape4 = [number, number, number, number];

const CASES: { name: string; x: Shape4; k: number; cout: number; stride: number; pad: 'same' | 'valid' | number }[] = [
  { name: "64x64x3 image, k4 s2 (paper64's first layer, 2 images)", x: [2, 64, 64, 3], k: 4, cout: 64, stride: 2, pad: 1 },
  { name: '28x28x1, k4 s2 (mnist first layer)', x: [3, 28, 28, 1], k: 4, cout: 32, stride: 2, pad: 1 },
  { name: '30x31x2, k3 s1 (18 rows; 3,720 summed pixels: chunk remainder)', x: [4, 30, 31, 2], k: 3, cout: 16, stride: 1, pad: 'same' },
  { name: '9x7x3, k5 s1 valid (75 rows: too many, XNNPACK)', x: [2, 9, 7, 3], k: 5, cout: 16, stride: 1, pad: 'valid' },
];

beforeAll(async () => {
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

const defaults = { ...convGradMethods };
afterAll(() => Object.assign(convGradMethods, defaults));

describe('Conv2DBackpropFilter with few rows (wasm, own matmul) matches cpu', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const wShape: Shape4 = [c.k, c.k, c.x[3], c.cout];
    const dyShape = tf.backend_util.computeConv2DInfo(c.x, wShape, c.stride, 1, c.pad).outShape;
    const x = randomData(c.x.reduce((a, b) => a * b), 31);
    const dy = randomData(dyShape.reduce((a, b) => a * b), 32);
    const dw = () =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
        { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: wShape },
      );
    expect(await compareBackends(dw)).toBeLessThan(TOL);
    const ownMatmul = c.k * c.k * c.x[3] <= 64;
    expect(await matmulsIn(dw)).toBe(ownMatmul ? 0 : 1);
  });
});
