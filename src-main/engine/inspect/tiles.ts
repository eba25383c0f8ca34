/**
 * Tile grids: many small images (kernels, feature maps, samples) in one PNG with a known layout,
 * so the UI can map a click back to a tile index. Plain arrays in, sharp PNG out.
 */
import type { TileGrid } from '../../shared/types/inspect';
import { encodePng, type RawImage } from '../sampling/grid';

export interface TileSpec {
  count: number;
  tileWidth: number;
  tileHeight: number;
  channels: 1 | 3;
  /** Columns (default: square-ish). */
  cols?: number;
  pad?: number;
  background?: number;
}

/**
 * Composes `count` tiles; `pixel(tile, x, y, c)` returns the byte of tile `tile` at (x, y), channel c.
 * @returns the raw image and its layout (rows, cols, pad).
 */
export function composeTiles(spec: TileSpec, pixel: (tile: number, x: number, y: number, c: number) => number) {
  const { count, tileWidth: tw, tileHeight: th, channels } = spec;
  const cols = Math.max(1, Math.min(count, spec.cols ?? Math.ceil(Math.sqrt(count))));
  const rows = Math.max(1, Math.ceil(count / cols));
  const pad = spec.pad ?? 1;
  const width = cols * tw + (cols + 1) * pad;
  const height = rows * th + (rows + 1) * pad;
  const data = new Uint8Array(width * height * channels).fill(spec.background ?? 24);
  for (let i = 0; i < count; i++) {
    const ox = pad + (i % cols) * (tw + pad);
    const oy = pad + Math.floor(i / cols) * (th + pad);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const dst = ((oy + y) * width + ox + x) * channels;
        for (let c = 0; c < channels; c++) data[dst + c] = pixel(i, x, y, c);
      }
    }
  }
  const image: RawImage = { data, width, height, channels };
  return { image, cols, rows, pad };
}

/** Encodes a composed grid (nearest-neighbour upscaled by `scale`) with its layout. */
export async function tileGridPng(
  spec: TileSpec,
  pixel: (tile: number, x: number, y: number, c: number) => number,
  scale = 1,
): Promise<TileGrid> {
  const { image, cols, rows, pad } = composeTiles(spec, pixel);
  const png = await encodePng(image, scale);
  return {
    pngBase64: png.toString('base64'),
    width: image.width * scale,
    height: image.height * scale,
    count: spec.count,
    cols,
    rows,
    tileWidth: spec.tileWidth,
    tileHeight: spec.tileHeight,
    pad,
    scale,
  };
}

const clampByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Signed value -> byte with 0 at mid-grey (128) and +-maxAbs at white/black, so sign stays visible. */
export function symmetricByte(v: number, maxAbs: number): number {
  return maxAbs > 0 ? clampByte(128 + (127 * v) / maxAbs) : 128;
}

/** Value -> byte over [lo, hi]; a constant range (dead unit) is black. */
export function rangeByte(v: number, lo: number, hi: number): number {
  return hi > lo ? clampByte((255 * (v - lo)) / (hi - lo)) : 0;
}

/** Scale for small tiles so the PNG is legible outside the app (the CLI): at least ~`target` px per tile. */
export function autoScale(tileSize: number, target = 24, max = 8): number {
  return Math.max(1, Math.min(max, Math.ceil(target / tileSize)));
}
