/**
 * Data checks before training on a folder with planted problems: exact and near duplicates
 * (all must be found, with their originals and nothing else), a too-wide image, a tiny one,
 * a grey one among colour ones, a broken file, and too few images for the model.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDataset, findDuplicates, imageCountRule } from '../../src-main/engine/data/checks';
import { hamming, pHash } from '../../src-main/engine/data/checks-hash';
import { probeCacheImage, probeFolder, type ProbeResult } from '../../src-main/engine/data/checks-probe';
import { scanImageFolder } from '../../src-main/engine/data/scan';
import { Rng } from '../../src-main/engine/util/rng';
import { tempDir, writeBytes, writeImage } from '../fixtures/data-images';

/** A photo-like image: a random background and six discs of random colours. */
function blobPainter(seed: number, w: number, h: number) {
  const rng = new Rng(seed);
  const bg = [rng.int(256), rng.int(256), rng.int(256)];
  const discs = Array.from({ length: 6 }, () => ({
    x: rng.next() * w,
    y: rng.next() * h,
    r: (0.1 + 0.3 * rng.next()) * Math.min(w, h),
    c: [rng.int(256), rng.int(256), rng.int(256)],
  }));
  return (x: number, y: number) => {
    let c = bg;
    for (const d of discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 < d.r ** 2) c = d.c;
    return c;
  };
}

const ORIGINALS = 24;
const folder = tempDir('ganvas-checks-');
/** original file -> the planted copies of it */
const planted = new Map<string, string[]>();
let results: ProbeResult[];

beforeAll(async () => {
  for (let i = 0; i < ORIGINALS; i++)
    await writeImage(folder.path(`img-${String(i).padStart(2, '0')}.png`), 96, 80, blobPainter(i, 96, 80));
  const plant = async (original: string, copy: string, make: (img: Sharp) => Sharp) => {
    await make(sharp(folder.path(original))).toFile(folder.path(copy));
    planted.set(original, [...(planted.get(original) ?? []), copy]);
  };
  mkdirSync(folder.path('copies'));
  copyFileSync(folder.path('img-03.png'), folder.path('copies/img-03 copy.png'));
  planted.set('img-03.png', ['copies/img-03 copy.png']);
  copyFileSync(folder.path('img-03.png'), folder.path('copies/img-03 copy 2.png'));
  planted.get('img-03.png')!.push('copies/img-03 copy 2.png');
  await plant('img-07.png', 'copies/img-07.jpg', (img) => img.jpeg({ quality: 60 }));
  await plant('img-11.png', 'copies/img-11-half.png', (img) => img.resize(48, 40));
  await plant('img-15.png', 'copies/img-15-bright.png', (img) => img.linear(1.1, 10));
  await plant('img-19.png', 'copies/img-19-blur.webp', (img) => img.blur(1.2).webp({ quality: 90 }));
  await writeImage(folder.path('odd/wide.png'), 300, 90, blobPainter(100, 300, 90));
  await writeImage(folder.path('odd/tiny.png'), 20, 20, blobPainter(101, 20, 20));
  await writeImage(folder.path('odd/grey.png'), 96, 96, (x, y) => {
    const v = (x * 7 + y * 3) % 256;
    return [v, v, v];
  });
  writeBytes(folder.path('odd/broken.png'), 'not a png at all');
  results = await probeFolder(await scanImageFolder(folder.dir));
}, 120_000);

afterAll(() => folder.cleanup());

describe('duplicates', () => {
  it('should find every planted duplicate, each grouped with its original and with nothing else', () => {
    const groups = findDuplicates(results.flatMap((r) => (r.ok ? [r.probe] : [])));
    for (const [original, copies] of planted) {
      const members = new Set(groups.filter((g) => g.files.includes(original)).flatMap((g) => g.files));
      for (const copy of copies) expect(members, `${copy} should be grouped with ${original}`).toContain(copy);
    }
    // No group joins two different originals (distinct images are never near duplicates here).
    for (const g of groups) expect(g.files.filter((f) => /^img-\d\d\.png$/.test(f)).length).toBeLessThanOrEqual(1);
    const exact = groups.filter((g) => g.kind === 'exact');
    expect(exact).toEqual([{ kind: 'exact', files: ['copies/img-03 copy 2.png', 'copies/img-03 copy.png', 'img-03.png'], distance: 0 }]);
    expect(groups.filter((g) => g.kind === 'near').map((g) => g.files.length)).toEqual([2, 2, 2, 2]);
  });

  it('should give pHash distances that separate edits from different images', () => {
    const grey = (seed: number) =>
      Float64Array.from({ length: 64 * 64 }, (_, i) => blobPainter(seed, 64, 64)(i % 64, Math.floor(i / 64))[0]);
    const a = grey(1);
    expect(pHash(a, 64, 64)).toMatch(/^[0-9a-f]{16}$/);
    expect(
      hamming(
        pHash(a, 64, 64),
        pHash(
          a.map((v) => v * 1.1 + 5),
          64,
          64,
        ),
      ),
    ).toBeLessThanOrEqual(2);
    expect(hamming(pHash(a, 64, 64), pHash(grey(2), 64, 64))).toBeGreaterThan(8);
  });
});

describe('the data-check report', () => {
  it('should list the wide, tiny, grey and broken files and warn that the set is too small for 64x64', () => {
    const report = checkDataset(results, { size: 64, channels: 3 });
    expect(report.files).toBe(ORIGINALS + 6 + 4);
    expect(report.images).toBe(report.files - 1);
    expect(report.distinctImages).toBe(report.images - 6); // 2 exact copies + 4 near ones
    const byKind = Object.fromEntries(report.findings.map((f) => [f.kind, f]));
    expect(byKind.count.severity).toBe('critical');
    expect(byKind.count.title).toContain(`${report.distinctImages} distinct images`);
    expect(byKind.duplicates.files).toHaveLength(6);
    expect(byKind.aspect.files).toEqual(['odd/wide.png (300×90)']);
    expect(byKind.small.files).toEqual(['copies/img-11-half.png (48×40)', 'odd/tiny.png (20×20)']);
    expect(byKind.colour.files).toEqual(['odd/grey.png']);
    expect(byKind.unreadable.files[0]).toMatch(/^odd\/broken\.png: not an image/);
    expect(report.grey).toBe(1);
    expect(report.severity).toBe('critical');
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('should not warn about colour when training in grey, and suggest grey when every image is grey', () => {
    const grey = checkDataset(results, { size: 28, channels: 1 });
    expect(grey.findings.some((f) => f.kind === 'colour')).toBe(false);
    const mnistLike = Array.from({ length: 3 }, (_, i) => ({
      ok: true as const,
      probe: probeCacheImage(
        Uint8Array.from({ length: 784 }, (_, j) => (j * (i + 3)) % 256),
        28,
        1,
        i,
      ),
    }));
    const report = checkDataset(mnistLike, { size: 28, channels: 3 });
    expect(report.findings.find((f) => f.kind === 'colour')).toMatchObject({ severity: 'info', title: 'Every image is greyscale' });
  });

  it('should report the median short side, so the wizard can offer a preset of that size', () => {
    const probe = (i: number, width: number, height: number) => ({
      ok: true as const,
      probe: { ...probeCacheImage(new Uint8Array(784), 28, 1, i), width, height },
    });
    expect(checkDataset([probe(0, 32, 40), probe(1, 64, 32), probe(2, 300, 90)], { size: 28, channels: 1 }).shortSide).toBe(32);
    expect(checkDataset([probe(0, 28, 28), probe(1, 64, 64)], { size: 28, channels: 1 }).shortSide).toBe(28);
    expect(checkDataset([], { size: 28, channels: 1 }).shortSide).toBeUndefined();
  });

  it('should scale the count rule with the image size and the model width', () => {
    expect(imageCountRule({ size: 28, channels: 1 })).toEqual({ minimum: 500, recommended: 5000 });
    expect(imageCountRule({ size: 64, channels: 3, ngf: 128 })).toEqual({ minimum: 4000, recommended: 40_000 });
  });
});
