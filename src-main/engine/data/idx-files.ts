/**
 * Finds the four standard MNIST-family IDX files (train/t10k × images/labels) in a folder,
 * raw or gzipped, and reports where a builtin dataset lives or why it is unavailable.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readIdx } from './idx';

export interface IdxPair {
  images: string;
  labels: string;
}

/** Where a builtin dataset was found, or a user-readable reason why it was not. */
export type DatasetLocation = { available: true; dir: string; pairs: IdxPair[]; count: number } | { available: false; reason: string };

const STEMS = ['train', 't10k'] as const;

function find(dir: string, stem: string): string | undefined {
  return [stem, `${stem}.gz`].map((n) => join(dir, n)).find((f) => existsSync(f) && statSync(f).isFile());
}

/**
 * Looks for `train-*` and `t10k-*` IDX files in `dir`; train comes first so that the first
 * 60,000 indices of a cache are the official training split.
 * @returns the location with the total image count (read from the small label headers), or why not.
 */
export function locateIdxDataset(dir: string): DatasetLocation {
  const pairs: IdxPair[] = [];
  for (const stem of STEMS) {
    const images = find(dir, `${stem}-images-idx3-ubyte`);
    const labels = find(dir, `${stem}-labels-idx1-ubyte`);
    if (!images || !labels) {
      return { available: false, reason: `${dir} lacks ${stem}-images-idx3-ubyte or ${stem}-labels-idx1-ubyte` };
    }
    pairs.push({ images, labels });
  }
  try {
    // Label files are tiny (60 KB), so reading them whole is the cheapest full header check.
    const count = pairs.reduce((n, p) => n + readIdx(p.labels).dims[0], 0);
    return { available: true, dir, pairs, count };
  } catch (err) {
    return { available: false, reason: `unreadable IDX files in ${dir}: ${(err as Error).message}` };
  }
}
