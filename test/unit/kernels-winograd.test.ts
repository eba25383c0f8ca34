/**
 * The Winograd F(2x2, 2x2) paths of the wasm conv kernels (kernels/winograd.ts) against the cpu
 * backend's stock kernels: forward convs and weight gradients over the space-to-depth image
 * (strides 1-3, kernels s+1..2s, paddings, roundings, odd sizes) and the 2x2-tap phases of
 * transposed convs, with channel counts for our gemm (multiples of 8) and for XNNPACK. Each case
 * also checks that the path ran (its 9 XNNPACK matmuls per conv or phase show in tf.profile, or none).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { convGradMethods } from '../../src-main/engine/backend/kernels/methods';
import { tileSizeFor, WINOGRAD_MIN_CHANNELS } from '../../src-main/engine/backend/kernels/winograd';
import { compareBackends, matmulsIn, randomData, runKernel } from './kernels-helpers';

type Pad = tf.Conv2DAttrs['pad'];
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

interface Case {
  batch: number;
  size: [number, number];
  kernel: [number, number];
  stride: number;
  pad: Pad;
  rounding?: Rounding;
}

const TOL = 1e-5;

const CASES: Case[] = [
  { batch: 2, size: [8, 8], kernel: [4, 4], stride: 2, pad: 1 }, // the DCGAN layer
  { batch: 1, size: [9, 7], kernel: [4, 4], stride: 2, pad: 1 }, // odd sizes: partial tiles
  { batch: 2, size: [8, 10], kernel: [4, 4], stride: 2, pad: 'same' },
  { batch: 1, size: [9, 9], kernel: [3, 3], stride: 2, pad: 'valid' },
  { batch: 1, size: [7, 8], kernel: [4, 3], stride: 2, pad: 'same' },
  { batch: 1, size: [8, 10], kernel: [3, 3], stride: 2, pad: 0, rounding: 'ceil' },
  {
    batch: 1,
    size: [6, 7],
    kernel: [4, 4],
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { batch: 1, size: [10, 9], kernel: [5, 6], stride: 3, pad: 'same' },
  { batch: 2, size: [5, 6], kernel: [2, 2], stride: 1, pad: 'same' },
  { batch: 1, size: [5, 5], kernel: [2, 2], stride: 1, pad: 'valid' },
  // Outputs of 16+ pixels a side take 4x4 tiles (F(4x4, 2x2)); partial tiles at the edges.
  { batch: 1, size: [36, 35], kernel: [4, 4], stride: 2, pad: 1 },
  { batch: 1, size: [33, 34], kernel: [3, 3], stride: 2, pad: 'same' },
  { batch: 1, size: [50, 49], kernel: [5, 5], stride: 3, pad: 'same' },
  { batch: 1, size: [17, 19], kernel: [2, 2], stride: 1, pad: 'valid' },
];

function label(c: Case): string {
  return `B${c.batch} ${c.size.join('x')} k${c.kernel.join('x')} s${c.stride} pad=${JSON.stringify(c.pad)}${c.rounding ? ` ${c.rounding}` : ''}`;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

const defaults = { ...convGradMethods };
afterAll(() => Object.assign(convGradMethods, defaults));

/** Output channels of the cases: 5 multiplies the planes through XNNPACK, 16 through our gemm (multiples of 8). */
const COUTS = [5, 16];

/** XNNPACK matmuls of a Winograd conv with `planes` planes: none where our gemm takes the channel count. */
const xnnMatmuls = (channels: number, planes: number) => (channels % 8 ? planes : 0);

/** Matmuls of one Winograd conv (or transposed-conv phase) with an output of ny x nx. */
const products = (ny: number, nx: number) => (tileSizeFor(ny, nx) + 1) ** 2;

describe.each([[true], [false]])('Conv2D as Winograd over the space-to-depth image (wasm, 4x4 tiles on large maps: %s) matches cpu', (tiles4) => {
  beforeAll(() => {
    convGradMethods.winograd4x4 = tiles4;
  });
  afterAll(() => {
    convGradMethods.winograd4x4 = defaults.winograd4x4;
  });

  it.each(CASES.flatMap((c) => COUTS.map((cout) => [label(c), cout, c] as const)))('%s, %i outputs', async (_name, cout, c) => {
    const cin = Math.ceil(WINOGRAD_MIN_CHANNELS / (c.stride * c.stride));
    const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], cin];
    const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], cin, cout];
    const x = randomData(xShape.reduce((a, b) => a * b), 21);
    const w = randomData(wShape.reduce((a, b) => a * b), 22);
    const conv = () => tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, wShape), c.stride, c.pad as 'same', 'NHWC', 1, c.rounding);
    expect(await compareBackends(conv)).toBeLessThan(TOL);
    const [, ho, wo] = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad, c.rounding).outShape;
    expect(await matmulsIn(conv)).toBe(xnnMatmuls(cout, products(ho, wo)));
  });
});

describe('Conv2DBackpropFilter as Winograd (wasm) matches cpu', () => {
  it.each(CASES.flatMap((c) => COUTS.map((cout) => [label(c), cout, c] as const)))('%s, %i outputs', async (_name, cout, c) => {
    const cin = Math.ceil(WINOGRAD_MIN_CHANNELS / (c.stride * c.stride));
    const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], cin];
    const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], cin, cout];
    const dyShape = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad, c.rounding).outShape;
    const x = randomData(xShape.reduce((a, b) => a * b), 27);
    const dy = randomData(dyShape.reduce((a, b) => a * b), 28);
    const dw = () =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) },
        { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.rounding, filterShape: wShape },
      );
    expect(await compareBackends(dw)).toBeLessThan(TOL);
    expect(await matmulsIn(dw)).toBe(xnnMatmuls(cout, 9));
  });
});

describe.each([[true], [false]])('Conv2DBackpropInput with Winograd phases (wasm, 4x4 tiles on large maps: %s) matches cpu', (tiles4) => {
  beforeAll(() => {
    convGradMethods.winograd4x4 = tiles4;
  });
  afterAll(() => {
    convGradMethods.winograd4x4 = defaults.winograd4x4;
  });

  // Phases have 2x2 taps for kernels of 3-4 at stride 2 (kernel 3: one phase of 2x1 taps is direct).
  it.each(CASES.filter((c) => c.stride === 2).flatMap((c) => [3, 8].map((cin) => [label(c), cin, c] as const)))('%s, %i inputs', async (_name, cin, c) => {
    const cout = WINOGRAD_MIN_CHANNELS;
    const xShape: [number, number, number, number] = [c.batch, c.size[0], c.size[1], cin];
    const wShape: [number, number, number, number] = [c.kernel[0], c.kernel[1], cin, cout];
    const dyShape = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad, c.rounding).outShape;
    const w = randomData(wShape.reduce((a, b) => a * b), 23);
    const dy = randomData(dyShape.reduce((a, b) => a * b), 24);
    const dx = () =>
      runKernel(
        'Conv2DBackpropInput',
        { dy: tf.tensor(dy, dyShape), filter: tf.tensor(w, wShape) },
        { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.rounding, inputShape: xShape },
      );
    convGradMethods.input = 'phases';
    try {
      expect(await compareBackends(dx)).toBeLessThan(TOL);
      const twoByTwo = (c.kernel[0] === 4 ? 2 : 1) * (c.kernel[1] === 4 ? 2 : 1); // phases with 2 taps both ways
      const smallest = products(Math.floor(c.size[0] / 2), Math.floor(c.size[1] / 2)); // a phase has size/2 rows, rounded
      if (cin % 8) expect(await matmulsIn(dx)).toBeGreaterThanOrEqual(smallest * twoByTwo);
      else expect(await matmulsIn(dx)).toBeLessThan(smallest * twoByTwo); // Winograd phases through our gemm
    } finally {
      convGradMethods.input = defaults.input;
    }
  });
});

describe('Winograd switched off', () => {
  it('the direct forms give the same numbers on the DCGAN layer', async () => {
    const xShape: [number, number, number, number] = [2, 8, 8, 16];
    const wShape: [number, number, number, number] = [4, 4, 16, 64];
    const x = randomData(xShape.reduce((a, b) => a * b), 25);
    const w = randomData(wShape.reduce((a, b) => a * b), 26);
    const both = () => {
      const y = tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(w, wShape), 2, 'same');
      const dw = runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(x, xShape), dy: y }, { strides: 2, pad: 'same', filterShape: wShape });
      return [y, tf.conv2dTranspose(y, tf.tensor4d(w, wShape), xShape, 2, 'same'), dw];
    };
    const run = (winograd: boolean) =>
      tf.tidy(() => {
        convGradMethods.winograd = winograd;
        return both().map((t) => t.dataSync().slice());
      });
    try {
      const [fast, direct] = [run(true), run(false)];
      for (let i = 0; i < direct.length; i++) {
        let worst = 0;
        for (let j = 0; j < direct[i].length; j++) worst = Math.max(worst, Math.abs(fast[i][j] - direct[i][j]));
        expect(worst).toBeLessThan(TOL * 10);
      }
    } finally {
      convGradMethods.winograd = true;
    }
  });
});
