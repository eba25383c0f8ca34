import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinDatasets } from '../../src-main/engine/data/builtin';
import { fashionMnistDirs, locateFashionMnist } from '../../src-main/engine/data/fashion';
import { parseIdx, readIdx } from '../../src-main/engine/data/idx';
import { locateMnist } from '../../src-main/engine/data/mnist';
import { tempDir } from '../fixtures/data-images';

/** Builds IDX ubyte bytes for the given dims and values. */
function idx(dims: number[], values: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(values)]);
}

describe('IDX parsing', () => {
  it('reads the bundled MNIST: 60k + 10k images of 28x28 with the known first labels', () => {
    const mnist = locateMnist();
    if (!mnist.available) throw new Error(mnist.reason);
    expect(mnist.count).toBe(70_000);
    const [train, test] = mnist.pairs;
    const trainLabels = readIdx(train.labels);
    expect(trainLabels.dims).toEqual([60_000]);
    expect(Array.from(trainLabels.data.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(readIdx(train.images).dims).toEqual([60_000, 28, 28]);
    expect(readIdx(test.images).dims).toEqual([10_000, 28, 28]);
    const testLabels = readIdx(test.labels);
    expect(testLabels.dims).toEqual([10_000]);
    expect(Array.from(testLabels.data.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    // First training image is a '5': background 0 in the corner, ink (255) somewhere in the middle.
    const first = readIdx(train.images).data.subarray(0, 784);
    expect(first[0]).toBe(0);
    expect(Math.max(...first)).toBe(255);
  });

  it('parses raw and gzipped bytes identically', () => {
    const raw = idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const a = parseIdx(raw);
    const b = parseIdx(gzipSync(raw));
    expect(a.dims).toEqual([2, 2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(b.dims).toEqual(a.dims);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('rejects bad magic, non-ubyte types and truncated data with clear errors', () => {
    expect(() => parseIdx(Buffer.from('hello world'), 'x.idx')).toThrow(/x\.idx is not an IDX file/);
    const float = idx([1], [0, 0, 0, 0]);
    float[2] = 0x0d;
    expect(() => parseIdx(float)).toThrow(/type 0xd/);
    expect(() => parseIdx(idx([3, 2], [1, 2, 3]))).toThrow(/truncated: header promises 6 values, file holds 3/);
    expect(() => parseIdx(Buffer.from([0, 0, 8, 3, 0, 0]))).toThrow(/truncated IDX header/);
  });
});

describe('builtin datasets', () => {
  let cleanup: (() => void) | undefined;
  afterEach(() => cleanup?.());

  it('lists MNIST as available with 70,000 images, and Fashion-MNIST with a count or a reason', () => {
    const list = builtinDatasets();
    expect(list.map((d) => d.kind)).toEqual(['mnist', 'fashion-mnist']);
    expect(list[0]).toMatchObject({ available: true, count: 70_000 });
    const fashion = list[1];
    if (fashion.available) expect(fashion.count).toBe(70_000);
    else expect(fashion.reason).toMatch(/dataset-fashion-mnist/);
  });

  it('finds Fashion-MNIST in a folder of gzipped IDX files and explains a missing one', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    for (const [stem, n] of [['train', 3], ['t10k', 2]] as const) {
      writeFileSync(tmp.path(`${stem}-images-idx3-ubyte.gz`), gzipSync(idx([n, 1, 1], new Array(n).fill(7))));
      writeFileSync(tmp.path(`${stem}-labels-idx1-ubyte.gz`), gzipSync(idx([n], new Array(n).fill(1))));
    }
    const found = locateFashionMnist([tmp.path('nope'), tmp.dir]);
    expect(found).toMatchObject({ available: true, dir: tmp.dir, count: 5 });
    const missing = locateFashionMnist([tmp.path('nope')]);
    expect(missing.available).toBe(false);
    if (!missing.available) expect(missing.reason).toMatch(/install the Debian package dataset-fashion-mnist.*nope/);
  });

  it('searches GANVAS_FASHION_MNIST_DIR first, then the Debian location', () => {
    expect(fashionMnistDirs({ GANVAS_FASHION_MNIST_DIR: '/x' })).toEqual([
      '/x',
      '/usr/share/datasets/fashion-mnist',
      '/usr/local/share/datasets/fashion-mnist',
    ]);
    expect(fashionMnistDirs({})[0]).toBe('/usr/share/datasets/fashion-mnist');
  });
});
