/** The fast wasm Tile against cpu, including the cases that must fall back. */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { selectBackend } from '../../src-main/engine/backend/select';
import { planTile } from '../../src-main/engine/backend/kernels/tile';
import { compareBackends, randomData, runOn } from './kernels-helpers';

const CASES: [number[], number[]][] = [
  [[1, 1, 1, 64], [64, 14, 14, 1]], // BatchNorm gradient broadcast
  [[1, 1, 1, 3], [3, 13, 9, 1]],
  [[2, 3], [2, 2]],
  [[3], [4]],
  [[5], [1]],
  [[2, 3, 4, 5], [2, 1, 3, 2]], // merges to rank 6
  [[2, 1, 3], [1, 4, 1]],
  [[1, 7], [3, 1]],
  [[4, 1], [1, 6]],
  [[2, 3, 2, 3, 2], [1, 2, 1, 2, 1]],
  [[2, 2, 2, 2], [3, 3, 3, 3]], // rank 8 after interleaving: stock fallback
];

beforeAll(async () => {
  expect((await selectBackend('wasm')).active).toBe('wasm');
});

describe('Tile (wasm) matches cpu', () => {
  it.each(CASES)('float32 %j x %j', async (shape, reps) => {
    const data = randomData(shape.reduce((a, b) => a * b, 1), 21);
    const diff = await compareBackends(() => tf.tile(tf.tensor(data, shape), reps));
    expect(diff).toBe(0);
  });

  it('int32 and bool', async () => {
    const ints = Int32Array.from({ length: 6 }, (_, i) => i * 7 - 20);
    expect(await compareBackends(() => tf.tile(tf.tensor(ints, [1, 2, 3], 'int32'), [3, 2, 1]))).toBe(0);
    const bools = Uint8Array.from([1, 0, 1]);
    expect(await compareBackends(() => tf.tile(tf.tensor(bools, [3, 1], 'bool'), [2, 4]))).toBe(0);
  });

  it('keeps -0, NaN and Infinity exactly', async () => {
    const special = Float32Array.from([-0, NaN, Infinity, -Infinity, 1e-30, -3.5]);
    const [out] = await runOn('wasm', () => tf.tile(tf.tensor(special, [1, 6]), [3, 1]));
    for (let r = 0; r < 3; r++) for (let i = 0; i < 6; i++) expect(Object.is(out.data[r * 6 + i], special[i])).toBe(true);
  });

  it('plans merged broadcasts and refuses what wasm cannot broadcast', () => {
    expect(planTile([1, 1, 1, 64], [64, 14, 14, 1])).toEqual({
      xShape: [1, 64],
      broadcastShape: [12544, 64],
      outShape: [64, 14, 14, 64],
    });
    expect(planTile([2, 3], [1, 1])).toBeNull(); // nothing to repeat
    expect(planTile([2, 2, 2, 2], [3, 3, 3, 3])).toBeNull(); // rank 8 > 6
    expect(planTile([2, 3], [2])).toBeNull();
  });
});
