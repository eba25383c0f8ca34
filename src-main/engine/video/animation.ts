/** One entry for every animation export: GIF, MP4 or WebM by the output file's extension. */
import path from 'node:path';
import { encodeVideo, type RgbaFrame, type VideoFormat, type VideoOptions } from './encode';
import { encodeGif } from './gif';

export type AnimationFormat = 'gif' | VideoFormat;

export interface AnimationResult {
  file: string;
  format: AnimationFormat;
  frames: number;
  width: number;
  height: number;
  bytes: number;
  seconds: number;
}

/** 'gif' | 'mp4' | 'webm' from a file name, or a one-line error naming the choices. */
export function animationFormatOf(file: string): AnimationFormat {
  const ext = path.extname(file).toLowerCase().slice(1);
  if (ext === 'gif' || ext === 'mp4' || ext === 'webm') return ext;
  throw new Error(`Cannot tell the format of ${path.basename(file)}: end the name with .gif, .mp4 or .webm`);
}

export async function exportAnimation(
  frames: AsyncIterable<RgbaFrame> | Iterable<RgbaFrame>,
  opts: Omit<VideoOptions, 'format'> & { format?: AnimationFormat },
): Promise<AnimationResult> {
  const format = opts.format ?? animationFormatOf(opts.out);
  if (format === 'gif') return encodeGif(frames, opts);
  return encodeVideo(frames, { ...opts, format });
}
