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
function reasonFor(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(msg)) return 'not an image (unrecognised file contents)';
  return `cannot decode image: ${msg.split('\n')[0]}`;
}

/**
 * Decodes `file` to uint8 [size,size,channels]. Never throws for a bad file: unreadable,
 * empty, corrupt or non-image files come back as `{ok: false, reason}`.
 */
export async function decodeSquare(file: string, size: number, channels: 1 | 3): Promise<DecodeResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return { ok: false, reason: `cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
  return decodeSquareBytes(bytes, size, channels);
}

/**
 * The same decoding for a file's contents already in memory (a dropped file, a clipboard image):
 * uint8 [size,size,channels], or `{ok: false, reason}` for empty, corrupt or non-image bytes.
 */
export async function decodeSquareBytes(bytes: Uint8Array, size: number, channels: 1 | 3): Promise<DecodeResult> {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  // 'error' rejects truncated and corrupt pixel data but tolerates warnings such as
  // extraneous bytes after a JPEG, which many cameras write.
  const input = { failOn: 'error', autoOrient: true } as const;
  return guarded(async () => {
    const meta = await sharp(bytes, input).metadata();
    const width = meta.autoOrient?.width ?? meta.width;
    const height = meta.autoOrient?.height ?? meta.height;
    if (!width || !height) return { ok: false, reason: 'not an image (no dimensions)' };
    return squareResize(sharp(bytes, input), width, height, size, channels);
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
