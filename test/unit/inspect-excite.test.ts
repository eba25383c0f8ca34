/**
 * Feature visualisation by optimisation on the trained MNIST fixture: the optimised z (G's maps)
 * and image (D's maps) excite their channel more than any of the random z / random images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { exciteChannel } from '../../src-main/engine/inspect/excite';
import { disposeGan, type Gan } from '../../src-main/engine/models/gan';
import { FIXTURE_MODEL, loadFixtureGan } from '../fixtures/invert/mnist-gan';

let gan: Gan;
const model = FIXTURE_MODEL;
const nets = () => ({ G: gan.G, D: gan.D, model });

beforeAll(async () => {
  await selectBackend('wasm');
  gan = loadFixtureGan();
});
afterAll(() => disposeGan(gan));

describe('feature visualisation by optimisation', () => {
  it.each([
    ['g1', 5],
    ['g0', 2],
  ])('should find a z whose G(z) excites %s channel %i more than every random z', (layer, channel) => {
    const tensors = tf.memory().numTensors;
    const r = exciteChannel(nets(), { layer, channel, steps: 120, restarts: 3, seed: 1 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(r).toMatchObject({ net: 'G', layer, channel, steps: 120, label: null });
    expect(r.z).toHaveLength(model.zDim);
    expect(r.image).toHaveLength(784);
    expect(r.baseline.count).toBe(64);
    expect(r.activation).toBeGreaterThan(r.baseline.max);
    expect(r.history.at(-1)!).toBeGreaterThanOrEqual(r.history[0]);
  });

  it.each([
    ['d1', 3],
    ['d2', 7],
  ])('should find an image that excites %s channel %i more than every random image', (layer, channel) => {
    const tensors = tf.memory().numTensors;
    const r = exciteChannel(nets(), { layer, channel, steps: 150, restarts: 3, seed: 2 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(r).toMatchObject({ net: 'D', layer, channel, z: null });
    expect(r.image.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(r.activation).toBeGreaterThan(r.baseline.max);
  });

  it('should be deterministic for a seed', () => {
    const a = exciteChannel(nets(), { layer: 'd2', channel: 1, steps: 20, restarts: 2, seed: 5 });
    const b = exciteChannel(nets(), { layer: 'd2', channel: 1, steps: 20, restarts: 2, seed: 5 });
    expect(Array.from(b.image)).toEqual(Array.from(a.image));
    expect(b.activation).toBe(a.activation);
  });

  it('should name the valid layers and channels when given wrong ones', () => {
    expect(() => exciteChannel(nets(), { layer: 'd9', channel: 0 })).toThrow(/D has no layer 'd9': its layers are d1, d2, d3/);
    expect(() => exciteChannel(nets(), { layer: 'x1', channel: 0 })).toThrow(/'x1' is not a layer name/);
    expect(() => exciteChannel(nets(), { layer: 'd2', channel: 32 })).toThrow(/d2 has channels 0..31, not 32/);
    expect(() => exciteChannel(nets(), { layer: 'g1', channel: 0, classIndex: 1 })).toThrow(/This model has no classes/);
  });
});
