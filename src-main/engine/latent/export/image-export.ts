/**
 * saveImage: a PNG the page shows (a training sample grid, an arithmetic grid) written where
 * the person chose. Small grids are enlarged by a whole number, nearest neighbour, so a 28 px
 * digit stays crisp and visible in an image viewer, as walk exports are (walk-export.ts).
 */
import sharp, { type Metadata } from 'sharp';
import type { exportContract } from '../../../shared/contract/export';
import { invalid } from '../../../shared/errors';
import type { ImageExportResult } from '../../../shared/types';
import type { TasksOf } from '../../handler-types';
import { writeFileAtomic } from '../../project/atomic';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The long side an export is enlarged to reach, and the most it is enlarged. */
const TARGET_LONG_SIDE = 512;
const MAX_AUTO_SCALE = 8;
/** Past this the file would be hundreds of MB: refuse rather than fill the disk. */
const MAX_OUTPUT_SIDE = 16384;

/** The smallest whole number that brings the long side to 512 px, between 1 and 8. */
export function autoScale(width: number, height: number): number {
  return Math.min(MAX_AUTO_SCALE, Math.max(1, Math.ceil(TARGET_LONG_SIDE / Math.max(width, height))));
}

/** Writes `png` (its bytes) to `out`, enlarged `scale` times (default: autoScale). */
export async function saveImage(png: Buffer, out: string, scale?: number): Promise<ImageExportResult> {
  if (png.length < PNG_SIGNATURE.length || !png.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw invalid('The image to save is not a PNG');
  }
  let meta: Metadata;
  try {
    meta = await sharp(png).metadata();
  } catch {
    throw invalid('The image to save is a damaged PNG');
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const factor = scale ?? autoScale(width, height);
  if (Math.max(width, height) * factor > MAX_OUTPUT_SIDE) {
    throw invalid(`A ${width}×${height} image enlarged ${factor}× would be over ${MAX_OUTPUT_SIDE} px wide: choose a smaller scale`);
  }
  const bytes =
    factor === 1 ? png : await sharp(png).resize(width * factor, height * factor, { kernel: 'nearest' }).png().toBuffer();
  writeFileAtomic(out, bytes);
  return { file: out, width: width * factor, height: height * factor, scale: factor, bytes: bytes.length };
}

export const imageExportTasks: TasksOf<typeof exportContract> = {
  saveImage: ({ png, out, scale }) => saveImage(Buffer.from(png, 'base64'), out, scale),
};
