/** Summary numbers for a dataset cache: what the project page shows next to the dataset. */
import type { DatasetStats } from '../../shared/types/project';
import type { DatasetCache } from './cache';

export type { DatasetStats };

const CHUNK = 1024;

/** Scans the whole cache in chunks (streamed; 70k MNIST takes well under a second). */
export function datasetStats(cache: DatasetCache): DatasetStats {
  const classCounts = new Array<number>(Math.max(cache.classes.length, 1)).fill(0);
  for (const label of cache.readLabels()) classCounts[label] += 1;
  let sum = 0;
  for (let i = 0; i < cache.count; i += CHUNK) {
    const bytes = cache.readUint8(i, Math.min(CHUNK, cache.count - i));
    let s = 0;
    for (let k = 0; k < bytes.length; k += 1) s += bytes[k];
    sum += s;
  }
  const values = cache.count * cache.size * cache.size * cache.channels;
  return { count: cache.count, classCounts, meanPixel: values ? sum / values / 255 : 0 };
}
