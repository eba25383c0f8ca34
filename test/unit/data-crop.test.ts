/** Folder import's optional centre crop (the book's crop_centre(img, 128, 128)) before resizing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatasetCache } from '../../src-main/engine/data/cache';
import { cropWindow } from '../../src-main/engine/data/decode';
import { importImageFolder } from '../../src-main/engine/data/folder-import';
import { prepareDataset } from '../../src-main/engine/data/prepare';
import { tempDir, writeImage } from '../fixtures/data-images';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** White inside the w0 x w0 window the book's crop_centre takes from a w x h image, black elsewhere. */
const whiteWindow = (w: number, h: number, w0: number) => (x: number, y: number) => {
  const left = Math.floor(w / 2) - Math.floor(w0 / 2);
  const top = Math.floor(h / 2) - Math.floor(w0 / 2);
  return x >= left && x < left + w0 && y >= top && y < top + w0 ? [255, 255, 255] : [0, 0, 0];
};

describe('centre crop', () => {
  it('should take the window crop_centre takes (start = size // 2 - crop // 2)', () => {
    expect(cropWindow(178, 218, 128)).toEqual({ left: 25, top: 45, side: 128 }); // CelebA's aligned faces
    expect(cropWindow(31, 20, 9)).toEqual({ left: 11, top: 6, side: 9 });
    expect(cropWindow(60, 40)).toEqual({ left: 10, top: 0, side: 40 }); // no crop: the largest centred square
    expect(cropWindow(100, 100, 101)).toBeNull();
  });

  it('should crop before resizing, skip images smaller than the crop, and refuse a bad crop size', async () => {
    const dir = tmp.path('faces');
    await writeImage(`${dir}/a.png`, 31, 20, whiteWindow(31, 20, 9));
    await writeImage(`${dir}/b.png`, 40, 26, whiteWindow(40, 26, 9));
    await writeImage(`${dir}/small.png`, 8, 30, () => [255, 255, 255]);
    const outFile = tmp.path('crop.bin');
    const report = await importImageFolder(dir, { size: 9, channels: 1, outFile, crop: 9 });
    expect(report.imported).toBe(2);
    expect(report.skipped).toEqual([{ file: 'small.png', reason: 'smaller (8×30) than the 9×9 centre crop' }]);
    const cache = openDatasetCache(outFile);
    const { images } = cache.readBatch([0, 1]);
    expect(Math.min(...images)).toBe(1); // only the white window, every pixel +1
    cache.close();

    const plain = await importImageFolder(dir, { size: 9, channels: 1, outFile: tmp.path('plain.bin') });
    const uncropped = openDatasetCache(tmp.path('plain.bin'));
    expect(Math.min(...uncropped.readBatch([0]).images)).toBeLessThan(0); // the square reaches the black border
    expect(plain.imported).toBe(3);
    uncropped.close();

    for (const bad of [0, 2.5])
      await expect(importImageFolder(dir, { size: 9, channels: 1, outFile, crop: bad })).rejects.toThrow(
        /centre crop must be a whole number/,
      );
  });

  it('should take the crop from the dataset source (recorded in project.json)', async () => {
    const dir = tmp.path('faces');
    for (const name of ['a', 'b']) await writeImage(`${dir}/${name}.png`, 31, 20, whiteWindow(31, 20, 9));
    const { info, report } = await prepareDataset(
      { kind: 'folder', path: dir, crop: 9 },
      { size: 9, channels: 3, outFile: tmp.path('d.bin') },
    );
    expect(info.source).toEqual({ kind: 'folder', path: dir, crop: 9 });
    expect(report!.imported).toBe(2);
    const cache = openDatasetCache(tmp.path('d.bin'));
    expect(Math.min(...cache.readBatch([0, 1]).images)).toBe(1);
    cache.close();
  });
});
