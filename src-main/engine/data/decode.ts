/**
 * Decodes one image file into the cache's pixel layout with sharp: EXIF auto-orientation,
 * exact centre-crop to a square (before resizing, so pixels outside the square cannot bleed
 * in through the filter), alpha flattened onto BLACK (transparent regions become the same
 * "empty" value as MNIST's background, -1 after scaling), Lanczos-3 resize to size×size,
 * then 8-bit greyscale (luminance) or sRGB.
 */
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';

export type DecodeResult = { ok: true; data: Uint8Array } | { ok: false; reason: string };

/** Turns sharp/libvips errors into a short reason for the import report. */
export function reasonFor(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return 'not an image (unrecognised file contents)';
  return `cannot decode image: ${msg.split('\n')[0]}`;
}

/**
 * Decodes `file` to uint8 [size,size,channels]. Never throws for a bad file: unreadable,
 * empty, corrupt or non-image files come back as `{ok: false, reason}`.
 */
export async function decodeSquare(file: string, size: number, channels: 1 | 3): Promise<DecodeResult> {
  const read = await readImageBytes(file);
  return read.ok ? decodeSquareBytes(read.bytes, size, channels) : read;
}

/**
 * How user images are opened: 'error' rejects truncated and corrupt pixel data but tolerates
 * warnings such as extraneous bytes after a JPEG, which many cameras write; EXIF orientation applies.
 */
export const IMAGE_INPUT = { failOn: 'error', autoOrient: true } as const;

/** An image's size as it is shown (EXIF orientation applied), or null when it has none. */
export async function uprightSize(bytes: Uint8Array): Promise<{ width: number; height: number } | null> {
  const meta = await sharp(bytes, IMAGE_INPUT).metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  return width && height ? { width, height } : null;
}

/** A file's bytes, or why they cannot be used (unreadable, empty): the import's first check. */
export async function readImageBytes(file: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { ok: false, reason: `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  return { ok: true, bytes };
}

/**
 * decodeSquare for bytes already in memory: the import probes the same bytes for the data check;
 * a dropped file or a clipboard image arrives this way. Empty, corrupt or non-image bytes come
 * back as `{ok: false, reason}`.
 */
export async function decodeSquareBytes(bytes: Uint8Array, size: number, channels: 1 | 3): Promise<DecodeResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  return guarded(async () => {
    const upright = await uprightSize(bytes);
    if (!upright) return { ok: false, reason: 'not an image (no dimensions)' };
    return squareResize(sharp(bytes, IMAGE_INPUT), upright.width, upright.height, size, channels);
  });
}

/** sharp's failures (corrupt, truncated, unsupported) as `{ok: false, reason}`. */
async function guarded(work: () => Promise<DecodeResult>): Promise<DecodeResult> {
  try {
    return await work();
  } catch (err) {
    return { ok: false, reason: reasonFor(err) };
  }
}

/**
 * Decoded pixels of any size (bytes [height, width, channels], channels 1-4) through the same
 * crop, flatten and resize as a dataset import.
 */
export async function squarePixels(
  data: Uint8Array,
  width: number,
  height: number,
  inChannels: 1 | 2 | 3 | 4,
  size: number,
  channels: 1 | 3,
): Promise<DecodeResult> {
  if (data.length !== width * height * inChannels)
    return { ok: false, reason: `expected ${width}×${height}×${inChannels} = ${width * height * inChannels} bytes, got ${data.length}` };
  return guarded(() => squareResize(sharp(data, { raw: { width, height, channels: inChannels } }), width, height, size, channels));
}

/** Centre square, flattened onto black, Lanczos-3 to size×size, grey or sRGB bytes. */
async function squareResize(image: Sharp, width: number, height: number, size: number, channels: 1 | 3): Promise<DecodeResult> {
  const side = Math.min(width, height);
  const { data, info } = await image
    .extract({ left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2), width: side, height: side })
    .flatten({ background: '#000000' })
    .resize(size, size, { kernel: 'lanczos3', fit: 'fill' })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== channels || data.length !== size * size * channels) {
    return { ok: false, reason: `unexpected decoder output (${info.width}×${info.height}×${info.channels})` };
  }
  return { ok: true, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}
