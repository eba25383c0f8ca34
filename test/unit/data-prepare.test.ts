import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasets, loadBuiltin } from '../../src-main/engine/data/builtin';
import { openDatasetCache } from '../../src-main/engine/data/cache';
import { FASHION_MNIST_CLASSES } from '../../src-main/engine/data/fashion';
import { prepareDataset } from '../../src-main/engine/data/prepare';
import { greyToRgb, resizeGreyBatch, stripGeometry } from '../../src-main/engine/data/resize';
import { datasetStats } from '../../src-main/engine/data/stats';
import { solid, tempDir, writeImage } from '../fixtures/data-images';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('batched greyscale resize', () => {
  it('equals resizing each MNIST digit on its own with sharp (no bleed between tiles)', async () => {
    const mnist = loadBuiltin('mnist');
    const n = 40;
    for (const dst of [32, 64, 14]) {
      const batch = await resizeGreyBatch(mnist.images.subarray(0, n * 784), n, 28, dst);
      expect(batch.length).toBe(n * dst * dst);
      for (let i = 0; i < n; i += 1) {
        const one = await sharp(mnist.images.subarray(i * 784, (i + 1) * 784), { raw: { width: 28, height: 28, channels: 1 } })
          .resize(dst, dst, { kernel: 'lanczos3' })
          .toColourspace('b-w')
          .raw()
          .toBuffer();
        expect(Buffer.from(batch.subarray(i * dst * dst, (i + 1) * dst * dst)).equals(one)).toBe(true);
      }
    }
  });

  it('pads tiles by a whole number of output rows beyond the filter support', () => {
    expect(stripGeometry(28, 32)).toEqual({ pad: 7, tileIn: 42, tileOut: 48, offset: 8 });
    expect(stripGeometry(28, 128)).toEqual({ pad: 7, tileIn: 42, tileOut: 192, offset: 32 });
    expect(stripGeometry(28, 14).pad).toBeGreaterThanOrEqual(8); // shrinking widens the support
  });

  it('replicates grey into RGB', () => {
    expect(Array.from(greyToRgb(Uint8Array.of(1, 200)))).toEqual([1, 1, 1, 200, 200, 200]);
  });
});

describe('prepareDataset', () => {
  it('prepares MNIST at 32×32×3: all 70,000 digits, labels 0..9, right shapes', async () => {
    const outFile = tmp.path('mnist32.bin');
    const progress: number[] = [];
    const { info, report } = await prepareDataset({ kind: 'mnist' }, { size: 32, channels: 3, outFile, onProgress: (d) => progress.push(d) });
    expect(info).toEqual({ source: { kind: 'mnist' }, count: 70_000, size: 32, channels: 3, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    expect(report).toBeUndefined();
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(70_000);

    const cache = openDatasetCache(outFile);
    expect([cache.count, cache.size, cache.channels]).toEqual([70_000, 32, 3]);
    const batch = cache.readBatch([0, 1, 69_999]);
    expect(batch.images.length).toBe(3 * 32 * 32 * 3);
    expect(Array.from(batch.labels.subarray(0, 2))).toEqual([5, 0]);
    expect(batch.labels[2]).toBe(loadBuiltin('mnist').labels[69_999]);
    const first = cache.readUint8(0);
    for (let p = 0; p < 32 * 32; p += 1) {
      expect(first[p * 3]).toBe(first[p * 3 + 1]);
      expect(first[p * 3]).toBe(first[p * 3 + 2]);
    }
    expect(Math.min(...batch.images)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...batch.images)).toBeLessThanOrEqual(1);

    const stats = datasetStats(cache);
    expect(stats.count).toBe(70_000);
    expect(stats.classCounts).toEqual([6903, 7877, 6990, 7141, 6824, 6313, 6876, 7293, 6825, 6958]);
    expect(stats.meanPixel).toBeGreaterThan(0.12);
    expect(stats.meanPixel).toBeLessThan(0.14);
    cache.close();
  });

  it('keeps MNIST at 28×28×1 byte-identical to the IDX files', async () => {
    const outFile = tmp.path('mnist28.bin');
    await prepareDataset({ kind: 'mnist' }, { size: 28, channels: 1, outFile });
    const cache = openDatasetCache(outFile, { inMemoryLimitBytes: 0 });
    const mnist = loadBuiltin('mnist');
    for (const i of [0, 12_345, 60_000, 69_999]) {
      expect(Buffer.from(cache.readUint8(i)).equals(Buffer.from(mnist.images.subarray(i * 784, (i + 1) * 784)))).toBe(true);
    }
    cache.close();
  });

  it('prepares Fashion-MNIST with its class names when installed, or fails with the reason', async () => {
    const fashion = builtinDatasets().find((d) => d.kind === 'fashion-mnist');
    const run = prepareDataset({ kind: 'fashion-mnist' }, { size: 28, channels: 1, outFile: tmp.path('fashion.bin') });
    if (!fashion?.available) {
      await expect(run).rejects.toThrow(/Fashion-MNIST clothing is unavailable: .*dataset-fashion-mnist/);
      return;
    }
    const { info } = await run;
    expect(info.count).toBe(70_000);
    expect(info.classes).toEqual(FASHION_MNIST_CLASSES);
  });

  it('imports a folder and returns its report', async () => {
    const dir = tmp.path('folder');
    await writeImage(`${dir}/a/1.png`, 10, 10, solid(0, 0, 0));
    await writeImage(`${dir}/b/2.png`, 10, 10, solid(255, 255, 255));
    const { info, report } = await prepareDataset({ kind: 'folder', path: dir }, { size: 8, channels: 1, outFile: tmp.path('f.bin') });
    expect(info).toEqual({ source: { kind: 'folder', path: dir }, count: 2, size: 8, channels: 1, classes: ['a', 'b'] });
    expect(report).toEqual({ imported: 2, skipped: [], classes: ['a', 'b'] });
    const cache = openDatasetCache(tmp.path('f.bin'));
    expect(datasetStats(cache)).toEqual({ count: 2, classCounts: [1, 1], meanPixel: 0.5 });
    cache.close();
  });

  it('stops when aborted and leaves no cache behind', async () => {
    const controller = new AbortController();
    const outFile = tmp.path('aborted.bin');
    const run = prepareDataset({ kind: 'mnist' }, { size: 32, channels: 1, outFile, signal: controller.signal, onProgress: (d) => d > 0 && controller.abort() });
    await expect(run).rejects.toThrow(/abort/i);
    expect(existsSync(outFile)).toBe(false);
  });
});
