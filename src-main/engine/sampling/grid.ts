/** Image grids and PNG encoding (sharp), shared by training previews, `sample` and exports. */
import sharp from 'sharp';

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3;
}

/** [-1, 1] float -> [0, 255] byte, as G's tanh output is mapped back to pixels. */
export function toByte(v: number): number {
  const b = Math.round((v + 1) * 127.5);
  return b < 0 ? 0 : b > 255 ? 255 : b;
}

/**
 * Lays out N images (NHWC floats in [-1, 1]) as a grid with `pad` pixels of background.
 * @param images Float32Array of length n*size*size*channels.
 */
export function imagesToGrid(
  images: Float32Array,
  n: number,
  size: number,
  channels: 1 | 3,
  opts: { cols?: number; pad?: number; background?: number } = {},
): RawImage {
  const cols = opts.cols ?? Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const pad = opts.pad ?? 2;
  const width = cols * size + (cols + 1) * pad;
  const height = rows * size + (rows + 1) * pad;
  const data = new Uint8Array(width * height * channels).fill(opts.background ?? 24);
  for (let i = 0; i < n; i++) {
    const ox = pad + (i % cols) * (size + pad);
    const oy = pad + Math.floor(i / cols) * (size + pad);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const src = ((i * size + y) * size + x) * channels;
        const dst = ((oy + y) * width + ox + x) * channels;
        for (let c = 0; c < channels; c++) data[dst + c] = toByte(images[src + c]);
      }
    }
  }
  return { data, width, height, channels };
}

/** Nearest-neighbour upscaling keeps pixels crisp for small images (28x28 digits). */
export async function encodePng(img: RawImage, scale = 1): Promise<Buffer> {
  let pipeline = sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: img.channels } });
  if (scale !== 1) pipeline = pipeline.resize(img.width * scale, img.height * scale, { kernel: 'nearest' });
  return pipeline.png().toBuffer();
}
