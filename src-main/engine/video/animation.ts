/** One entry for every animation export: GIF, MP4 or WebM by the output file's extension. */
import path from 'node:path';
import type { AnimationExportResult as AnimationResult, AnimationFormat } from '../../shared/types';
import { encodeVideo, type RgbaFrame, type VideoOptions } from './encode';
import { encodeGif } from './gif';

/** The same shapes the contract answers with ('gif' | 'mp4' | 'webm'; file, format, frames, size, bytes, seconds). */
export type { AnimationFormat, AnimationExportResult as AnimationResult } from '../../shared/types';

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
