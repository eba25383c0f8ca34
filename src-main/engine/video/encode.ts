/**
 * Video export beside GIF: MP4 (H.264 Baseline, h264.ts) or WebM (VP8/VP9, webm.ts), encoded in this
 * process from RGBA frames as they arrive, so a caller can stream frames from G (walks,
 * directions, projections) or from saved grids (timelapses) without holding them all.
 * The finished file is written once, through the atomic writer: a cancelled or failed export
 * leaves no file behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../project/atomic';
import type { RgbaFrame } from './frames';
import { H264Mp4Writer } from './h264';
import { WebmWriter, type WebmCodec } from './webm';

export type { RgbaFrame };
export type VideoFormat = 'mp4' | 'webm';
export const VIDEO_FORMATS: readonly VideoFormat[] = ['mp4', 'webm'];

export interface VideoOptions {
  format: VideoFormat;
  /** Output file; its folder must exist. */
  out: string;
  fps: number;
  /** Every frame's size. Odd sizes are padded by one pixel (4:2:0 needs even sizes). */
  width: number;
  height: number;
  /** 0 (smallest file) .. 100 (best picture); default 75. */
  quality?: number;
  /** WebM's codec: VP8 (default, faster) or VP9 (smaller files at the same quality). */
  webmCodec?: WebmCodec;
  /** Frames expected, for progress (null when unknown). */
  totalFrames?: number;
  onProgress?(done: number, total: number | null): void;
  signal?: AbortSignal;
}

export interface VideoResult {
  file: string;
  format: VideoFormat;
  codec: 'h264' | WebmCodec;
  frames: number;
  /** Encoded size (even). */
  width: number;
  height: number;
  bytes: number;
  seconds: number;
}

const MAX_SIDE = 4096;

/** The format a file name asks for, or null (e.g. '.gif', handled by the GIF writer). */
export function videoFormatOf(file: string): VideoFormat | null {
  const ext = path.extname(file).toLowerCase().slice(1);
  return (VIDEO_FORMATS as readonly string[]).includes(ext) ? (ext as VideoFormat) : null;
}

function validate(opts: VideoOptions): number {
  if (!VIDEO_FORMATS.includes(opts.format)) throw new Error(`Unknown video format '${opts.format}': use mp4 or webm`);
  if (!Number.isInteger(opts.fps) || opts.fps < 1 || opts.fps > 60) throw new Error(`fps must be an integer in 1..60, got ${opts.fps}`);
  for (const [name, v] of [
    ['width', opts.width],
    ['height', opts.height],
  ] as const)
    if (!Number.isInteger(v) || v < 2 || v > MAX_SIDE) throw new Error(`Video ${name} must be an integer in 2..${MAX_SIDE}, got ${v}`);
  const quality = opts.quality ?? 75;
  if (!(quality >= 0 && quality <= 100)) throw new Error(`quality must be in 0..100, got ${quality}`);
  const dir = path.dirname(path.resolve(opts.out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`Cannot export to ${opts.out}: folder ${dir} does not exist`);
  return quality;
}

/** An encoder fed one frame at a time (walk exports drive it in chunks). */
export interface VideoWriter {
  width: number;
  height: number;
  addFrame(frame: RgbaFrame): void | Promise<void>;
  finish(): Uint8Array | Promise<Uint8Array>;
  abort(): void | Promise<void>;
}

/** An MP4 (H.264) or WebM (VP8 by default) writer for frames of width x height. */
export async function createVideoWriter(
  format: VideoFormat,
  width: number,
  height: number,
  fps: number,
  quality = 75,
  webmCodec: WebmCodec = 'vp8',
): Promise<VideoWriter> {
  return format === 'mp4' ? H264Mp4Writer.create(width, height, fps, quality) : WebmWriter.create(width, height, fps, quality, webmCodec);
}

/** Encodes `frames` (all opts.width x opts.height) into opts.out. */
export async function encodeVideo(frames: AsyncIterable<RgbaFrame> | Iterable<RgbaFrame>, opts: VideoOptions): Promise<VideoResult> {
  const started = performance.now();
  const quality = validate(opts);
  const cancelled = () => new Error('Video export cancelled');
  if (opts.signal?.aborted) throw cancelled();
  const writer = await createVideoWriter(opts.format, opts.width, opts.height, opts.fps, quality, opts.webmCodec);
  let count = 0;
  let bytes: Uint8Array;
  try {
    for await (const frame of frames) {
      if (opts.signal?.aborted) throw cancelled();
      if (frame.width !== opts.width || frame.height !== opts.height)
        throw new Error(`Frame ${count} is ${frame.width}×${frame.height}; this video is ${opts.width}×${opts.height}`);
      await writer.addFrame(frame);
      count++;
      opts.onProgress?.(count, opts.totalFrames ?? null);
    }
    if (opts.signal?.aborted) throw cancelled();
    bytes = await writer.finish();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  writeFileAtomic(opts.out, bytes);
  return {
    file: opts.out,
    format: opts.format,
    codec: opts.format === 'mp4' ? 'h264' : (opts.webmCodec ?? 'vp8'),
    frames: count,
    width: writer.width,
    height: writer.height,
    bytes: bytes.length,
    seconds: +((performance.now() - started) / 1000).toFixed(3),
  };
}
