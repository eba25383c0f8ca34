/**
 * The image to project, as G's output would show it: model size, model channels, floats in
 * [-1, 1] (NHWC, one image). Files and pixels of any other size go through the dataset import's
 * own pipeline (data/decode.ts: EXIF orientation, centre square, alpha onto black, Lanczos-3,
 * luminance or sRGB), so a projected photo is prepared exactly like a training image.
 */
import type { ModelConfig } from '../../shared/types';
import { invalid } from '../../shared/errors';
import { decodeSquareBytes, squarePixels } from '../data/decode';

type Model = Pick<ModelConfig, 'size' | 'channels'>;

/** Pixels from anywhere: bytes 0..255, or floats already in G's [-1, 1] range. */
export interface TargetPixels {
  data: Uint8Array | Uint8ClampedArray | Float32Array;
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. Floats must be 1 or 3 channels at the model's size. */
  channels: 1 | 2 | 3 | 4;
}

/** Bytes [S*S*C] -> floats in [-1, 1], the cache's scaling (x / 127.5 - 1). */
export function bytesToUnit(bytes: ArrayLike<number>): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 127.5 - 1;
  return out;
}

/** An encoded image file's contents (PNG, JPEG, WebP, GIF, TIFF, AVIF, SVG) -> [S*S*C] in [-1, 1]. */
export async function targetFromImageFile(bytes: Uint8Array, model: Model): Promise<Float32Array> {
  const decoded = await decodeSquareBytes(bytes, model.size, model.channels);
  if (!decoded.ok) throw invalid(`Cannot use this image: ${decoded.reason}`);
  return bytesToUnit(decoded.data);
}

/**
 * Pixels -> [S*S*C] in [-1, 1]. Model-sized pixels with the model's channels are converted
 * directly (a gallery sample's render, a dataset image); anything else is cropped and resized.
 */
export async function targetFromPixels(px: TargetPixels, model: Model): Promise<Float32Array> {
  const { data, width, height, channels } = px;
  const n = width * height * channels;
  if (!(width > 0 && height > 0) || data.length !== n)
    throw invalid(`Image data has ${data.length} values; ${width}×${height}×${channels} needs ${n}`);
  const exact = width === model.size && height === model.size && channels === model.channels;
  if (data instanceof Float32Array) {
    if (!exact)
      throw invalid(`Float pixels must already be ${model.size}×${model.size}×${model.channels}; pass bytes to resize other images`);
    for (let i = 0; i < data.length; i++)
      if (!(data[i] >= -1 && data[i] <= 1)) throw invalid(`Float pixels must lie in [-1, 1]; value ${i} is ${data[i]}`);
    return Float32Array.from(data);
  }
  if (exact) return bytesToUnit(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.length);
  const resized = await squarePixels(bytes, width, height, channels, model.size, model.channels);
  if (!resized.ok) throw invalid(`Cannot use this image: ${resized.reason}`);
  return bytesToUnit(resized.data);
}
