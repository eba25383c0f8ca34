/**
 * Animated GIF from RGBA frames (timelapses, projections, direction sweeps), with the walks'
 * GifWriter (latent/export/gif.ts): one global palette, so the frames are buffered (as RGB)
 * until the last one arrives. Written once through the atomic writer.
 */
import { writeFileAtomic } from '../project/atomic';
import { GifWriter, globalPalette } from '../latent/export/gif';
import type { RgbaFrame } from './frames';

export interface GifExportOptions {
  out: string;
  fps: number;
  width: number;
  height: number;
  totalFrames?: number;
  onProgress?(done: number, total: number | null): void;
  signal?: AbortSignal;
}

/** RGB bytes above this are refused: a GIF that big is better exported as video. */
const MAX_BUFFERED_BYTES = 1 << 30;

export async function encodeGif(frames: AsyncIterable<RgbaFrame> | Iterable<RgbaFrame>, opts: GifExportOptions) {
  const started = performance.now();
  const { width, height } = opts;
  const rgb: Uint8Array[] = [];
  for await (const frame of frames) {
    if (opts.signal?.aborted) throw new Error('GIF export cancelled');
    if (frame.width !== width || frame.height !== height)
      throw new Error(`Frame ${rgb.length} is ${frame.width}×${frame.height}; this GIF is ${width}×${height}`);
    if ((rgb.length + 1) * width * height * 3 > MAX_BUFFERED_BYTES)
      throw new Error(`Too many frames for a GIF of ${width}×${height} (over 1 GiB): export MP4 or WebM instead`);
    const bytes = new Uint8Array(width * height * 3);
    for (let p = 0, q = 0; p < bytes.length; p += 3, q += 4) {
      bytes[p] = frame.data[q];
      bytes[p + 1] = frame.data[q + 1];
      bytes[p + 2] = frame.data[q + 2];
    }
    rgb.push(bytes);
    opts.onProgress?.(rgb.length, opts.totalFrames ?? null);
  }
  if (rgb.length === 0) throw new Error('A GIF needs at least one frame');
  const writer = new GifWriter({ width, height, channels: 3, scale: 1, fps: opts.fps, palette: globalPalette(rgb, 3) });
  for (const frame of rgb) {
    if (opts.signal?.aborted) throw new Error('GIF export cancelled');
    writer.addFrame(frame);
  }
  const data = writer.finish();
  writeFileAtomic(opts.out, data);
  return {
    file: opts.out,
    format: 'gif' as const,
    frames: rgb.length,
    width,
    height,
    bytes: data.length,
    seconds: +((performance.now() - started) / 1000).toFixed(3),
  };
}
