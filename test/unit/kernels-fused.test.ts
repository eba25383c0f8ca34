/**
 * The fused training kernels (BatchNorm + activation and its gradient, activation and its
 * gradient, Adam, 2-D transpose) on wasm (our SIMD code) and on TensorFlow (its fused ops) against
 * their stock-op composition on cpu. TensorFlow runs where tfjs-node loads (.ci/run builds it
 * where a local package mirror exists); elsewhere those cases are skipped with the reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { ADAM, adamComposed } from '../../src-main/engine/backend/kernels/fused_ops';
import { activate, activationGrad, batchNormAct, batchNormActGrad } from '../../src-main/engine/train/backprop/fused';
import { randomData, relDiff, type Result } from './kernels-helpers';

const TOL = 1e-5;
type Backend = 'cpu' | 'wasm' | 'tensorflow';

/** Why the tensorflow backend cannot run here, or null. */
async function tensorflowUnavailable(): Promise<string | null> {
  try {
    await selectBackend('tensorflow');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
const tensorflowMissing = await tensorflowUnavailable();

beforeAll(async () => {
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

async function runOn(backend: Backend, fn: () => tf.Tensor[]): Promise<Result[]> {
  if (!(await tf.setBackend(backend))) throw new Error(`cannot switch to ${backend}`);
  return tf.tidy(() => fn().map((t) => ({ shape: t.shape.slice(), data: t.dataSync().slice() as Float32Array })));
}

/** Worst relative difference of `backend` against the cpu composition (same fn: dispatch picks the kernel). */
async function against(backend: Backend, fn: () => tf.Tensor[]): Promise<number> {
  const ref = await runOn('cpu', fn);
  const got = await runOn(backend, fn);
  return Math.max(...ref.map((r, i) => (r.shape.join() === got[i].shape.join() ? relDiff(got[i].data, r.data) : Infinity)));
}

const SHAPES: [number, number, number, number][] = [
  [4, 5, 5, 16], // channels a multiple of 4 (SIMD lanes)
  [3, 7, 6, 6], // a remainder of 2 channels
  [2, 3, 3, 1], // one channel
  [40, 8, 8, 4], // more rows than one accumulation block
];
const t4 = (s: number[], seed: number, scale = 1, shift = 0) =>
  tf.tensor4d(
    randomData(
      s.reduce((a, b) => a * b),
      seed,
    ).map((v) => v * scale + shift),
    s as [number, number, number, number],
  );
const t1 = (n: number, seed: number, scale = 1, shift = 0) => tf.tensor1d(randomData(n, seed).map((v) => v * scale + shift));

const ACTS = ['relu', 'lrelu', 'none'] as const;

const BACKENDS = [
  ['wasm', ''],
  ['tensorflow', tensorflowMissing ? ` (skipped: ${tensorflowMissing})` : ''],
] as const;

describe.each(BACKENDS)('fused kernels on %s match the composition on cpu%s', (backend, skipped) => {
  const test = it.skipIf(skipped !== '');

  test.each(SHAPES.flatMap((s) => ACTS.map((a) => [a, s] as const)))(
    'BatchNorm + %s forward and gradient %j',
    async (activation, shape) => {
      const attrs = { activation, slope: 0.2 };
      const c = shape[3];
      const diff = await against(backend, () => {
        const x = t4(shape, 1, 3, 0.5);
        const gamma = t1(c, 2, 0.2, 1);
        const beta = t1(c, 3);
        const f = batchNormAct(x, gamma, beta, attrs);
        const g = batchNormActGrad({ dy: t4(shape, 4), x, y: f.y, mean: f.mean, variance: f.variance, gamma }, attrs);
        return [f.y, f.mean, f.variance, g.dx, g.dGamma, g.dBeta];
      });
      expect(diff).toBeLessThan(TOL);
    },
  );

  test.each([...ACTS, 'tanh'] as const)('%s forward and gradient', async (activation) => {
    const attrs = { activation, slope: 0.2 };
    const diff = await against(backend, () => {
      const y = activate(t4([3, 5, 7, 5], 5, 4), attrs);
      return [y, activationGrad(t4([3, 5, 7, 5], 6), y, attrs)];
    });
    expect(diff).toBeLessThan(TOL);
  });

  test('tanh saturates to exactly +-1 and keeps tiny inputs', async () => {
    const [got] = await runOn(backend, () => [
      activate(tf.tensor4d([-30, -9, 9, 30, 1e-7, -1e-7, 0, 0.5], [1, 1, 2, 4]), { activation: 'tanh', slope: 0 }),
    ]);
    expect(Array.from(got.data.slice(0, 4))).toEqual([-1, -1, 1, 1]);
    expect(got.data[4]).toBeCloseTo(1e-7, 12);
    expect(got.data[7]).toBeCloseTo(Math.tanh(0.5), 6);
  });
});

describe('Adam kernel on wasm', () => {
  it.each([[4, 4, 3, 5], [7], [1030]])('matches the stock-op update bit for bit (%j)', async (...shape) => {
    const attrs = { beta1: 0.5, beta2: 0.999, alpha: (2e-4 * Math.sqrt(1 - 0.999 ** 3)) / (1 - 0.5 ** 3), epsilon: 1e-8 };
    const make = () => {
      const n = shape.reduce((a, b) => a * b, 1);
      return [1, 2, 3, 4].map((s) =>
        tf.tensor(
          randomData(n, s).map((v) => (s === 4 ? Math.abs(v) : v)),
          shape,
        ),
      );
    };
    const fused = await runOn('wasm', () => {
      const [p, g, m, v] = make();
      return tf.engine().runKernel(ADAM, { p, g, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    });
    const stock = await runOn('wasm', () => {
      const [p, g, m, v] = make();
      return adamComposed(p, g, m, v, attrs);
    });
    fused.forEach((r, i) => expect(Array.from(r.data)).toEqual(Array.from(stock[i].data)));
  });
});

describe('transposed matmuls on wasm', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('transposeA=%s transposeB=%s, 2-D and batched', async (ta, tb) => {
    const diff = await against('wasm', () => {
      const a2 = tf.tensor2d(randomData(37 * 21, 7), ta ? [21, 37] : [37, 21]);
      const b2 = tf.tensor2d(randomData(21 * 9, 8), tb ? [9, 21] : [21, 9]);
      const a3 = tf.tensor3d(randomData(3 * 6 * 5, 9), ta ? [3, 5, 6] : [3, 6, 5]);
      const b3 = tf.tensor3d(randomData(3 * 5 * 7, 10), tb ? [3, 7, 5] : [3, 5, 7]);
      return [tf.matMul(a2, b2, ta, tb), tf.matMul(a3, b3, ta, tb)];
    });
    expect(diff).toBeLessThan(TOL);
  });
});
