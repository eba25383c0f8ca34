/**
 * End to end: gradients of a small conv / batchnorm / transposed-conv network
 * on wasm (all three custom kernels on the path) match cpu; the kernels leak nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { stockWasmKernel } from '../../src-main/engine/backend/kernels/index';
import { compareBackends, randomData, runKernel } from './kernels-helpers';

beforeAll(async () => {
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

/** Network weights as plain data, so both backends build identical variables. */
const W = {
  w1: { shape: [3, 3, 2, 6], data: randomData(3 * 3 * 2 * 6, 31) },
  gamma: { shape: [6], data: randomData(6, 32).map((v) => 1 + 0.2 * v) },
  beta: { shape: [6], data: randomData(6, 33) },
  w2: { shape: [4, 4, 3, 6], data: randomData(4 * 4 * 3 * 6, 34) },
  x: { shape: [3, 9, 8, 2], data: randomData(3 * 9 * 8 * 2, 35) },
};

/** conv2d(s2, same) -> batchNorm(batch stats) -> leakyRelu -> conv2dTranspose(k4 s2) -> tanh -> mse. */
function lossOf(v: Record<'w1' | 'gamma' | 'beta' | 'w2', tf.Tensor>, x: tf.Tensor4D): tf.Scalar {
  const h = tf.conv2d(x, v.w1 as tf.Tensor4D, 2, 'same'); // [3,5,4,6]
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  const n = tf.batchNorm(h, mean, variance, v.beta as tf.Tensor1D, v.gamma as tf.Tensor1D, 1e-5);
  const a = tf.leakyRelu(n, 0.2) as tf.Tensor4D;
  const y = tf.tanh(tf.conv2dTranspose(a, v.w2 as tf.Tensor4D, [3, 10, 8, 3], 2, 'same'));
  return tf.mean(tf.square(tf.sub(y, 0.1)));
}

describe('training gradients on wasm match cpu', () => {
  it('tf.variableGrads of conv + batchnorm + conv2dTranspose', async () => {
    const diff = await compareBackends(() => {
      const vars = {
        w1: tf.variable(tf.tensor(W.w1.data, W.w1.shape)),
        gamma: tf.variable(tf.tensor(W.gamma.data, W.gamma.shape)),
        beta: tf.variable(tf.tensor(W.beta.data, W.beta.shape)),
        w2: tf.variable(tf.tensor(W.w2.data, W.w2.shape)),
      };
      const x = tf.tensor4d(W.x.data, W.x.shape as [number, number, number, number]);
      const { value, grads } = tf.variableGrads(() => lossOf(vars, x));
      const out = [value, grads[vars.w1.name], grads[vars.gamma.name], grads[vars.beta.name], grads[vars.w2.name]];
      // Variables are not freed by tidy.
      const kept = out.map((t) => tf.clone(t));
      Object.values(vars).forEach((v) => v.dispose());
      return kept;
    });
    expect(diff).toBeLessThan(1e-5);
  });

  it('runs through all three custom kernels', async () => {
    await tf.setBackend('wasm');
    const info = await tf.profile(() => {
      const v = {
        w1: tf.variable(tf.tensor(W.w1.data, W.w1.shape)),
        gamma: tf.variable(tf.tensor(W.gamma.data, W.gamma.shape)),
        beta: tf.variable(tf.tensor(W.beta.data, W.beta.shape)),
        w2: tf.variable(tf.tensor(W.w2.data, W.w2.shape)),
      };
      const { value, grads } = tf.variableGrads(() => lossOf(v, tf.tensor4d(W.x.data, [3, 9, 8, 2])));
      tf.dispose([value, ...Object.values(grads), ...Object.values(v)]);
    });
    expect(info.kernelNames).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Tile']));
  });

  it('tf.grad with respect to the input (conv2d input gradient)', async () => {
    const diff = await compareBackends(() => {
      const v = {
        w1: tf.tensor(W.w1.data, W.w1.shape),
        gamma: tf.tensor(W.gamma.data, W.gamma.shape),
        beta: tf.tensor(W.beta.data, W.beta.shape),
        w2: tf.tensor(W.w2.data, W.w2.shape),
      };
      return tf.grad((x: tf.Tensor) => lossOf(v, x as tf.Tensor4D))(tf.tensor(W.x.data, W.x.shape));
    });
    expect(diff).toBeLessThan(1e-5);
  });
});

describe('the custom kernels free their intermediates', () => {
  const calls: [string, () => tf.Tensor][] = [
    [
      'Conv2DBackpropFilter',
      () =>
        runKernel(
          'Conv2DBackpropFilter',
          { x: tf.ones([2, 9, 9, 3]), dy: tf.ones([2, 5, 5, 4]) },
          { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] },
        ),
    ],
    [
      'Conv2DBackpropInput',
      () =>
        runKernel(
          'Conv2DBackpropInput',
          { dy: tf.ones([2, 5, 5, 4]), filter: tf.ones([4, 4, 3, 4]) },
          { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 10, 10, 3] },
        ),
    ],
    ['Tile', () => tf.tile(tf.ones([1, 1, 1, 8]), [4, 5, 5, 1])],
  ];
  it.each(calls)('%s', async (_name, call) => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    tf.tidy(() => {
      const start = tf.memory().numTensors;
      call();
      // The inputs (created in the call) plus the one output; nothing else may survive.
      const inputs = _name === 'Tile' ? 1 : 2;
      expect(tf.memory().numTensors - start).toBe(inputs + 1);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(bytesBefore);
  });

  it('the stock wasm kernels stay reachable for fallbacks and benchmarks', () => {
    expect(stockWasmKernel('Conv2DBackpropInput')).toBeTypeOf('function');
    expect(stockWasmKernel('Tile')).toBeTypeOf('function');
    expect(stockWasmKernel('Conv2DBackpropFilter')).toBeUndefined();
  });
});
