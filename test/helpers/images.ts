/** Test helpers: folders of small generated images (a folder dataset without MNIST's import time). */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

/**
 * Writes `perClass` PNGs of width x height per class into `dir` (class sub-folders when more than
 * one class), each a different smooth pattern so crops and resizes are visible. Returns `dir`.
 */
export async function imageFolder(
  dir: string,
  opts: { classes?: string[]; perClass: number; width: number; height: number },
): Promise<string> {
  const classes = opts.classes ?? [''];
  for (const [c, name] of classes.entries()) {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < opts.perClass; i++) {
      const { width, height } = opts;
      const px = Buffer.alloc(width * height * 3);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const o = (y * width + x) * 3;
          px[o] = (x * 255) / width;
          px[o + 1] = (y * 255) / height;
          px[o + 2] = (c * 60 + i * 7) % 256;
        }
      await sharp(px, { raw: { width, height, channels: 3 } })
        .png()
        .toFile(path.join(folder, `img-${String(i).padStart(3, '0')}.png`));
    }
  }
  return dir;
}
