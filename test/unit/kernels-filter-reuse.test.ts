/**
 * Shared transformed filters (kernels/winograd.ts withFilterReuse): D's real and fake passes of a
 * training step transform each filter once. Reuse must not change a single bit, must miss when
 * the weights change (a new buffer), and must free what it kept when the scope ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { convGradMethods } from '../../src-main/engine/backend/kernels/methods';
import { filterReuseCounts, withFilterReuse } from '../../src-main/engine/backend/kernels/winograd';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { buildGan, disposeGan } from '../../src-main/engine/models/gan';
import { discriminatorGradients, generatorForward } from '../../src-main/engine/train/backprop/gradients';
import { HYPER, smallModel, stepInputs } from '../helpers/train-compare';

afterEach(async () => {
  convGradMethods.reuseFilters = true;
  await tf.setBackend('cpu');
});

/** D's gradients of one batch, as plain arrays by parameter name. */
function dGradients(reuse: boolean): Record<string, Float32Array> {
  convGradMethods.reuseFilters = reuse;
  // Wide enough that D's stride-2 convs and their input gradients run as Winograd.
  const model = smallModel({ ngf: 32, ndf: 32 });
  const gan = buildGan(model, HYPER);
  const batch = stepInputs(model, 0);
  const out = tf.tidy(() => {
    const gen = generatorForward(gan, { z: batch.z, onehot: null });
    const d = discriminatorGradients(gan, { real: batch.real, onehot: null }, gen);
    return Object.fromEntries(Object.entries(d.grads).map(([name, g]) => [name, g.dataSync().slice() as Float32Array]));
  });
  tf.dispose([batch.real, batch.z]);
  disposeGan(gan);
  return out;
}

describe('shared transformed filters (wasm)', () => {
  it("should give D's gradients bit-identical to transforming per conv, and reuse transforms", async () => {
    await selectBackend('wasm');
    const fresh = dGradients(false);
    const before = { ...filterReuseCounts };
    const shared = dGradients(true);
    // Forward convs and backward phases of D's stride-2 layers: several transforms.
    expect(filterReuseCounts.made - before.made).toBeGreaterThan(2);
    // The fake pass and its backward reuse every transform the real pass made.
    expect(filterReuseCounts.reused - before.reused).toBe(filterReuseCounts.made - before.made);
    expect(Object.keys(shared)).toEqual(Object.keys(fresh));
    for (const name of Object.keys(fresh)) expect(shared[name], name).toEqual(fresh[name]);
  });

  it('should free what it kept when the scope ends', async () => {
    await selectBackend('wasm');
    const x = tf.randomNormal([2, 16, 16, 32], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([4, 4, 32, 64], 0, 0.1, 'float32', 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const made = filterReuseCounts.made;
    tf.tidy(() => {
      withFilterReuse(() => [tf.conv2d(x, w, 2, 'same'), tf.conv2d(x, w, 2, 'same')]);
    });
    expect(filterReuseCounts.made).toBe(made + 1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('should transform again when the weights change, as a variable update does', async () => {
    await selectBackend('wasm');
    const x = tf.randomNormal([2, 16, 16, 32], 0, 1, 'float32', 3) as tf.Tensor4D;
    const v = tf.variable(tf.randomNormal([4, 4, 32, 64], 0, 0.1, 'float32', 4));
    const next = tf.randomNormal([4, 4, 32, 64], 0, 0.1, 'float32', 5) as tf.Tensor4D;
    const expected = tf.conv2d(x, next, 2, 'same');
    const [first, second] = withFilterReuse(() => {
      const a = tf.conv2d(x, v as tf.Tensor4D, 2, 'same');
      v.assign(next);
      return [a, tf.conv2d(x, v as tf.Tensor4D, 2, 'same')];
    });
    expect(second.dataSync()).toEqual(expected.dataSync());
    expect(first.dataSync()).not.toEqual(expected.dataSync());
    tf.dispose([x, v, next, expected, first, second]);
  });
});
