import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatasetCache } from '../../src-main/engine/data/cache';
import { importImageFolder } from '../../src-main/engine/data/folder-import';
import { solid, tempDir, writeBytes, writeImage } from '../fixtures/data-images';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** White inside the centred square of a w×h image, black on the two sides outside it. */
const whiteCentre = (w: number, h: number) => (x: number, y: number) => {
  const side = Math.min(w, h);
  const inside = x >= (w - side) / 2 && x < (w + side) / 2 && y >= (h - side) / 2 && y < (h + side) / 2;
  return inside ? [255, 255, 255] : [0, 0, 0];
};

/** The mixed folder of the brief: 6 valid images and 3 broken "images", plus ignored files. */
async function mixedFolder(): Promise<string> {
  const dir = tmp.path('images');
  await writeImage(`${dir}/a-red.png`, 40, 40, solid(255, 0, 0));
  await writeImage(`${dir}/b-wide.jpg`, 64, 48, solid(0, 0, 255));
  await writeImage(`${dir}/c-tall.webp`, 30, 50, whiteCentre(30, 50));
  await writeImage(`${dir}/d-upper.PNG`, 20, 20, solid(128, 128, 128));
  await writeImage(`${dir}/e-wide.jpeg`, 60, 30, whiteCentre(60, 30));
  await writeImage(`${dir}/nested/f-alpha.png`, 32, 32, (x) => (x < 16 ? [255, 255, 255, 0] : [255, 255, 255, 255]), true);
  writeBytes(`${dir}/empty.png`, new Uint8Array(0));
  writeBytes(`${dir}/broken.jpg`, randomBytes(2048));
  writeBytes(`${dir}/notes.png`, 'these are my notes, not a picture\n');
  writeBytes(`${dir}/readme.txt`, 'ignored');
  writeBytes(`${dir}/.hidden.png`, 'hidden files are skipped silently');
  return dir;
}

describe('importImageFolder', () => {
  it('imports valid images of any size and format, skipping and reporting broken ones', async () => {
    const dir = await mixedFolder();
    const outFile = tmp.path('out', 'dataset.bin');
    const report = await importImageFolder(dir, { size: 16, channels: 3, outFile });
    expect(report.imported).toBe(6);
    expect(report.count).toBe(6);
    expect(report.classes).toEqual([]);
    expect(report.ignored).toBe(1);
    expect(report.skipped.map((s) => s.file)).toEqual(['broken.jpg', 'empty.png', 'notes.png']);
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(reasons['empty.png']).toBe('empty file (0 bytes)');
    expect(reasons['notes.png']).toMatch(/not an image/);
    expect(reasons['broken.jpg']).toMatch(/not an image|cannot decode/);

    const cache = openDatasetCache(outFile);
    expect([cache.count, cache.size, cache.channels]).toEqual([6, 16, 3]);
    // Sorted order: a-red, b-wide, c-tall, d-upper, e-wide, nested/f-alpha.
    const px = (i: number, x: number, y: number) => Array.from(cache.readUint8(i).subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3));
    expect(px(0, 8, 8)).toEqual([255, 0, 0]);
    const blue = px(1, 8, 8);
    expect(blue[2]).toBeGreaterThan(240);
    expect(blue[0]).toBeLessThan(15);
    // Non-square images: only the (white) centre square survives, the black sides are cropped away.
    expect(Math.min(...cache.readUint8(2))).toBe(255); // lossless WebP: exact
    expect(Math.min(...cache.readUint8(4))).toBeGreaterThanOrEqual(250); // JPEG: ringing from the cropped-away black
    // Transparent pixels are flattened onto black; opaque white stays white.
    expect(px(5, 2, 8)).toEqual([0, 0, 0]);
    expect(px(5, 13, 8)).toEqual([255, 255, 255]);
    expect(Array.from(cache.readLabels())).toEqual([0, 0, 0, 0, 0, 0]);
    cache.close();
  });

  it('centre-crops a 60×30 image to its white middle in greyscale too, and handles tall images', async () => {
    const dir = tmp.path('crop');
    await writeImage(`${dir}/wide.png`, 60, 30, whiteCentre(60, 30));
    await writeImage(`${dir}/tall.png`, 30, 60, whiteCentre(30, 60));
    // A control whose white square is off-centre must NOT come out all white.
    await writeImage(`${dir}/z-left.png`, 60, 30, (x) => (x < 30 ? [255, 255, 255] : [0, 0, 0]));
    const outFile = tmp.path('grey.bin');
    await importImageFolder(dir, { size: 28, channels: 1, outFile });
    const cache = openDatasetCache(outFile);
    expect([cache.count, cache.size, cache.channels]).toEqual([3, 28, 1]);
    expect(cache.readUint8(0).length).toBe(28 * 28);
    expect(Math.min(...cache.readUint8(0))).toBe(255);
    expect(Math.min(...cache.readUint8(1))).toBe(255);
    const left = cache.readUint8(2);
    expect(left[14 * 28 + 2]).toBe(255); // left half of the crop is white
    expect(left[14 * 28 + 25]).toBe(0); // right half black
    cache.close();
  });

  it('converts colour to luminance for greyscale and keeps sRGB for 3 channels', async () => {
    const dir = tmp.path('colour');
    await writeImage(`${dir}/green.png`, 8, 8, solid(0, 255, 0));
    await writeImage(`${dir}/red.png`, 8, 8, solid(255, 0, 0));
    const grey = tmp.path('g.bin');
    const rgb = tmp.path('c.bin');
    await importImageFolder(dir, { size: 4, channels: 1, outFile: grey });
    await importImageFolder(dir, { size: 4, channels: 3, outFile: rgb });
    const g = openDatasetCache(grey);
    const c = openDatasetCache(rgb);
    const [greenGrey, redGrey] = [g.readUint8(0)[0], g.readUint8(1)[0]];
    expect(greenGrey).toBeGreaterThan(redGrey); // green is much brighter than red to the eye
    expect(redGrey).toBeGreaterThan(40);
    expect(redGrey).toBeLessThan(140);
    expect(Array.from(c.readUint8(0).subarray(0, 3))).toEqual([0, 255, 0]);
    g.close();
    c.close();
  });

  it('applies EXIF orientation before cropping', async () => {
    const dir = tmp.path('exif');
    // Stored landscape 40×20 with the left half white; orientation 6 means "rotate 90° clockwise to view",
    // so the viewed image is portrait with the TOP half white.
    const raw = Buffer.alloc(40 * 20 * 3);
    for (let y = 0; y < 20; y += 1) for (let x = 0; x < 20; x += 1) raw.fill(255, (y * 40 + x) * 3, (y * 40 + x) * 3 + 3);
    const jpeg = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } }).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    writeBytes(`${dir}/rotated.jpg`, jpeg);
    writeBytes(`${dir}/second.jpg`, jpeg);
    const outFile = tmp.path('exif.bin');
    await importImageFolder(dir, { size: 20, channels: 1, outFile });
    const img = openDatasetCache(outFile).readUint8(0);
    expect(img[2 * 20 + 10]).toBeGreaterThan(240); // top
    expect(img[17 * 20 + 10]).toBeLessThan(15); // bottom
  });

  it('labels images by top-level class sub-folder, with sorted class names', async () => {
    const dir = tmp.path('classes');
    await writeImage(`${dir}/dogs/d1.png`, 8, 8, solid(30, 30, 30));
    await writeImage(`${dir}/dogs/puppies/p1.png`, 8, 8, solid(40, 40, 40));
    await writeImage(`${dir}/cats/c1.png`, 8, 8, solid(10, 10, 10));
    await writeImage(`${dir}/cats/c2.jpg`, 8, 8, solid(20, 20, 20));
    await writeImage(`${dir}/birds/b1.webp`, 8, 8, solid(0, 0, 0));
    writeBytes(`${dir}/notes.txt`, 'a non-image at the top does not make the set unlabelled');
    writeBytes(`${dir}/empty-class/readme.md`, 'no images: not a class');
    const outFile = tmp.path('classes.bin');
    const report = await importImageFolder(dir, { size: 8, channels: 1, outFile });
    expect(report.classes).toEqual(['birds', 'cats', 'dogs']);
    const cache = openDatasetCache(outFile);
    expect(cache.classes).toEqual(['birds', 'cats', 'dogs']);
    expect(Array.from(cache.readLabels())).toEqual([0, 1, 1, 2, 2]);
    expect(Array.from(cache.readBatch([4, 0]).labels)).toEqual([2, 0]);
    expect([0, 1, 2, 3, 4].map((i) => cache.readUint8(i)[0])).toEqual([0, 10, 20, 30, 40]);
    cache.close();
  });

  it('treats a folder with images at the top level, or a single sub-folder, as unlabelled', async () => {
    const mixed = tmp.path('mixed');
    await writeImage(`${mixed}/top.png`, 8, 8, solid(0, 0, 0));
    await writeImage(`${mixed}/a/x.png`, 8, 8, solid(0, 0, 0));
    await writeImage(`${mixed}/b/y.png`, 8, 8, solid(0, 0, 0));
    expect((await importImageFolder(mixed, { size: 8, channels: 1, outFile: tmp.path('m.bin') })).classes).toEqual([]);
    const single = tmp.path('single');
    await writeImage(`${single}/only/x.png`, 8, 8, solid(0, 0, 0));
    await writeImage(`${single}/only/y.png`, 8, 8, solid(0, 0, 0));
    const r = await importImageFolder(single, { size: 8, channels: 1, outFile: tmp.path('s.bin') });
    expect(r.classes).toEqual([]);
    expect(r.imported).toBe(2);
  });

  it('gives byte-identical caches for the same folder whatever the decode concurrency', async () => {
    const dir = await mixedFolder();
    const outs = [1, 4].map((c) => tmp.path(`c${c}.bin`));
    await importImageFolder(dir, { size: 16, channels: 3, outFile: outs[0], concurrency: 1 });
    await importImageFolder(dir, { size: 16, channels: 3, outFile: outs[1], concurrency: 4 });
    expect(readFileSync(outs[0]).equals(readFileSync(outs[1]))).toBe(true);
  });

  it('reports progress from 0 to total at ~1% steps', async () => {
    const dir = tmp.path('many');
    await Promise.all(Array.from({ length: 250 }, (_, i) => writeImage(`${dir}/${String(i).padStart(3, '0')}.png`, 4, 4, solid(i, i, i))));
    const calls: [number, number, string | undefined][] = [];
    await importImageFolder(dir, { size: 4, channels: 1, outFile: tmp.path('p.bin'), onProgress: (d, t, f) => calls.push([d, t, f]) });
    expect(calls[0]).toEqual([0, 250, undefined]);
    expect(calls.at(-1)).toEqual([250, 250, '249.png']);
    expect(calls.every(([, t]) => t === 250)).toBe(true);
    const done = calls.map(([d]) => d);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    // Every ~1%: no gap larger than 2 images (1% of 250 rounds down to 2), and not one call per image.
    expect(Math.max(...done.slice(1).map((d, i) => d - done[i]))).toBeLessThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(127);
  });

  it('stops on abort, leaving neither the output nor temp files', async () => {
    const dir = tmp.path('abort');
    await Promise.all(Array.from({ length: 40 }, (_, i) => writeImage(`${dir}/${i}.png`, 4, 4, solid(0, 0, 0))));
    const controller = new AbortController();
    const out = tmp.path('out', 'a.bin');
    const run = importImageFolder(dir, {
      size: 4,
      channels: 1,
      outFile: out,
      signal: controller.signal,
      onProgress: (d) => d >= 5 && controller.abort(),
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(readdirSync(tmp.path('out'))).toEqual([]);
  });
});

describe('importImageFolder errors', () => {
  it('says when the path does not exist or is not a folder', async () => {
    const outFile = tmp.path('x.bin');
    await expect(importImageFolder(tmp.path('missing'), { size: 8, channels: 1, outFile })).rejects.toThrow(/Image folder not found: .*missing/);
    writeBytes(tmp.path('file.png'), 'x');
    await expect(importImageFolder(tmp.path('file.png'), { size: 8, channels: 1, outFile })).rejects.toThrow(/Not a folder/);
    expect(existsSync(outFile)).toBe(false);
  });

  it('says when a folder has no images', async () => {
    const dir = tmp.path('empty');
    writeBytes(`${dir}/readme.txt`, 'nothing here');
    await expect(importImageFolder(dir, { size: 8, channels: 1, outFile: tmp.path('x.bin') })).rejects.toThrow(/No images found in .*empty/);
  });

  it('refuses a single usable image, naming the skipped files, and keeps a previous cache', async () => {
    const dir = tmp.path('one');
    await writeImage(`${dir}/only.png`, 8, 8, solid(0, 0, 0));
    writeBytes(`${dir}/zero.png`, new Uint8Array(0));
    const outFile = tmp.path('one.bin');
    writeBytes(outFile, 'previous cache');
    await expect(importImageFolder(dir, { size: 8, channels: 1, outFile })).rejects.toThrow(/Only one usable image .*at least 2 \(skipped: zero\.png: empty file/);
    expect(readFileSync(outFile, 'utf8')).toBe('previous cache');
    expect(readdirSync(tmp.dir).sort()).toEqual(['one', 'one.bin']);
  });

  it('says when no image could be read', async () => {
    const dir = tmp.path('bad');
    writeBytes(`${dir}/a.png`, 'not a png');
    writeBytes(`${dir}/b.jpg`, randomBytes(100));
    await expect(importImageFolder(dir, { size: 8, channels: 1, outFile: tmp.path('x.bin') })).rejects.toThrow(/None of the 2 images .* could be read \(a\.png: not an image/);
  });
});
