/** Frame pixels for exporters: G's floats to bytes, and nearest-neighbour upscaling. */
import { toByte } from '../../sampling/grid';

/**
 * Frame `i` of NHWC floats in [-1, 1] (n frames of size x size x channels) as bytes
 * [size * size * channels], the same mapping as saved grids.
 */
export function frameBytes(images: Float32Array, i: number, size: number, channels: number): Uint8Array {
  const n = size * size * channels;
  const out = new Uint8Array(n);
  const base = i * n;
  for (let k = 0; k < n; k++) out[k] = toByte(images[base + k]);
  return out;
}

/**
 * Nearest-neighbour upscaling by an integer factor: each pixel becomes a scale x scale block,
 * so 28 px digits stay crisp instead of being smeared by a smoothing filter.
 * `data` [height, width, channels] -> [height * scale, width * scale, channels].
 */
export function upscaleNearest(data: Uint8Array, width: number, height: number, channels: number, scale: number): Uint8Array {
  if (scale === 1) return data;
  const w2 = width * scale;
  const out = new Uint8Array(w2 * height * scale * channels);
  const rowBytes = w2 * channels;
  for (let y = 0; y < height; y++) {
    const dstRow = y * scale * rowBytes;
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * channels;
      for (let sx = 0; sx < scale; sx++) {
        const dst = dstRow + (x * scale + sx) * channels;
        for (let c = 0; c < channels; c++) out[dst + c] = data[src + c];
      }
    }
    // The other scale - 1 rows of the block repeat the first.
    for (let sy = 1; sy < scale; sy++) out.copyWithin(dstRow + sy * rowBytes, dstRow, dstRow + rowBytes);
  }
  return out;
}

/** RGB(A)-less bytes -> RGBA, as gifenc's quantizer reads. */
export function toRgba(data: Uint8Array, channels: 1 | 3): Uint8Array {
  const pixels = data.length / channels;
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const r = data[p * channels];
    out[p * 4] = r;
    out[p * 4 + 1] = channels === 3 ? data[p * channels + 1] : r;
    out[p * 4 + 2] = channels === 3 ? data[p * channels + 2] : r;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/**
 * Lays out byte frames ([size, size, channels] each) in a grid with `pad` pixels of background,
 * row-major; a strip is a grid with one row.
 */
export function bytesToGrid(
  frames: Uint8Array[],
  size: number,
  channels: 1 | 3,
  cols: number,
  pad = 2,
  background = 24,
): { data: Uint8Array; width: number; height: number; channels: 1 | 3 } {
  const rows = Math.ceil(frames.length / cols);
  const width = cols * size + (cols + 1) * pad;
  const height = rows * size + (rows + 1) * pad;
  const data = new Uint8Array(width * height * channels).fill(background);
  const rowBytes = size * channels;
  frames.forEach((frame, i) => {
    const ox = pad + (i % cols) * (size + pad);
    const oy = pad + Math.floor(i / cols) * (size + pad);
    for (let y = 0; y < size; y++) data.set(frame.subarray(y * rowBytes, (y + 1) * rowBytes), ((oy + y) * width + ox) * channels);
  });
  return { data, width, height, channels };
}
