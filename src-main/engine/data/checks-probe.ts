/**
 * What the data checks need to know about each image, read once before training: its size,
 * whether it is greyscale, a content hash (exact duplicates) and a perceptual hash (near
 * duplicates). Files are decoded with sharp as the import decodes them (EXIF orientation, alpha
 * onto black), but only to a 64x64 raster: probing a folder costs about as much as importing it.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { pHash } from './checks-hash';
import { IMAGE_INPUT, readImageBytes, reasonFor, uprightSize } from './decode';
import { forEachOrdered } from './ordered';
import type { ProgressCallback } from './progress';
import { progressTicker } from './progress';
import type { FolderScan } from './scan';

/** A pixel is coloured when its channels differ by more than this (of 255): JPEG noise in grey photos stays below. */
export const GREY_CHANNEL_TOLERANCE = 24;
/** An image is greyscale when at most this share of its pixels are coloured. */
export const GREY_MAX_COLOURED_SHARE = 0.01;
const RASTER = 64;

export interface ImageProbe {
  /** Relative path (folder scans) or a name such as "#123" (images of a dataset cache). */
  file: string;
  width: number;
  height: number;
  grey: boolean;
  /** SHA-256 of the file's bytes (of the pixels for cache images), hex. */
  contentHash: string;
  pHash: string;
}

export type ProbeResult = { ok: true; probe: ImageProbe } | { ok: false; file: string; reason: string };

/** Greyness and hashes of an interleaved 8-bit raster [h, w, channels] (1 or 3 channels). */
export function rasterFacts(pixels: Uint8Array, w: number, h: number, channels: 1 | 3): Pick<ImageProbe, 'grey' | 'pHash'> {
  const grey = new Float64Array(w * h);
  let coloured = 0;
  for (let i = 0; i < w * h; i++) {
    if (channels === 1) {
      grey[i] = pixels[i];
      continue;
    }
    const r = pixels[i * 3];
    const g = pixels[i * 3 + 1];
    const b = pixels[i * 3 + 2];
    grey[i] = 0.299 * r + 0.587 * g + 0.114 * b; // ITU-R BT.601 luma
    if (Math.max(r, g, b) - Math.min(r, g, b) > GREY_CHANNEL_TOLERANCE) coloured++;
  }
  return { grey: coloured <= GREY_MAX_COLOURED_SHARE * w * h, pHash: pHash(grey, w, h) };
}

/** Probes one image file; never throws for a bad file (as the import, it is reported and skipped). */
export async function probeImageFile(path: string, rel: string): Promise<ProbeResult> {
  const read = await readImageBytes(path);
  return read.ok ? probeImageBytes(read.bytes, rel) : { ok: false, file: rel, reason: read.reason };
}

/** probeImageFile for bytes already read (the import decodes and probes one read). */
export async function probeImageBytes(bytes: Buffer, rel: string): Promise<ProbeResult> {
  try {
    const upright = await uprightSize(bytes);
    if (!upright) return { ok: false, file: rel, reason: 'not an image (no dimensions)' };
    const { width, height } = upright;
    const { data } = await sharp(bytes, IMAGE_INPUT)
      .flatten({ background: '#000000' })
      .resize(RASTER, RASTER, { kernel: 'lanczos3', fit: 'fill' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const facts = rasterFacts(new Uint8Array(data.buffer, data.byteOffset, data.length), RASTER, RASTER, 3);
    return { ok: true, probe: { file: rel, width, height, contentHash: createHash('sha256').update(bytes).digest('hex'), ...facts } };
  } catch (err) {
    return { ok: false, file: rel, reason: reasonFor(err) };
  }
}

/** Probes every image of a folder scan, in scan order, a few files at once. */
export async function probeFolder(
  scan: FolderScan,
  options: { concurrency?: number; signal?: AbortSignal; onProgress?: ProgressCallback } = {},
): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  const tick = progressTicker(scan.images.length, options.onProgress);
  tick(0);
  await forEachOrdered(
    scan.images,
    options.concurrency ?? 3,
    (image) => probeImageFile(image.path, image.rel),
    (result, image, index) => {
      out.push(result);
      tick(index + 1, image.rel);
    },
    options.signal,
  );
  return out;
}

/** Probes image `index` of a dataset cache (already square, `size` x `size` x `channels` bytes). */
export function probeCacheImage(pixels: Uint8Array, size: number, channels: 1 | 3, index: number): ImageProbe {
  const facts = rasterFacts(pixels, size, size, channels);
  return {
    file: `#${index}`,
    width: size,
    height: size,
    contentHash: createHash('sha256').update(pixels).digest('hex'),
    ...facts,
  };
}
