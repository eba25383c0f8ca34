/**
 * Still-image exports: one method writes any PNG the app shows (a training sample grid, an
 * arithmetic grid) to a file from the native save dialog, as walks and timelapses are written.
 * The page already holds the image; the engine checks it is a PNG, enlarges it by a whole
 * number (nearest neighbour) and writes it with the one atomic writer.
 */
import { z } from 'zod';
import type { ImageExportResult } from '../types/latent';
import { pathString } from './common';
import { base64 } from './latent';
import { inWorker } from './method';

/** A PNG sent with saveImage: 8 MiB of base64 holds a 1024x1024 RGB grid with room to spare. */
export const MAX_IMAGE_BASE64 = 8 * 1024 * 1024;

export const exportContract = {
  /**
   * Writes a PNG to `out` (a save dialog's answer), enlarged `scale` times; without `scale`,
   * by the smallest whole number that makes its long side at least 512 px (at most 8).
   */
  saveImage: inWorker<ImageExportResult>()(
    z.object({
      png: base64(MAX_IMAGE_BASE64).pipe(z.string().min(1, 'no image to save')),
      out: pathString('choose a file to save to'),
      scale: z.number().int().min(1).max(16).optional(),
    }),
    { paths: { out: 'write' } },
  ),
} as const;
