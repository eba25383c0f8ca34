/**
 * Running the data checks (checks.ts) on a folder before a project exists (the wizard, with
 * thumbnails of the duplicates it lists) and on a project's imported images. Both report
 * progress and stop at the next file or chunk when their signal is aborted.
 */
import sharp from 'sharp';
import type { DataCheckReport, FolderCheck } from '../../shared/types/health';
import { invalid } from '../../shared/errors';
import type { DatasetCache } from './cache';
import { checkDataset, type DataCheckTarget } from './checks';
import { probeCacheImage, probeFolder, type ProbeResult } from './checks-probe';
import type { ProgressCallback } from './progress';
import { scanImageFolder } from './scan';

/** Duplicate groups shown with thumbnails, and files per group: enough to recognise them, a small reply. */
export const THUMBNAIL_GROUPS = 24;
export const THUMBNAILS_PER_GROUP = 4;
const THUMBNAIL_SIZE = 64;

export interface CheckControl {
  signal?: AbortSignal;
  /** (done, total, phase) */
  onProgress?: (done: number, total: number, phase: string) => void;
}

/** Checks every image of `folder` as it would be imported at `target`. */
export async function checkImageFolder(folder: string, target: DataCheckTarget, control: CheckControl = {}): Promise<FolderCheck> {
  let scan;
  try {
    scan = await scanImageFolder(folder);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (scan.images.length === 0)
    throw invalid(`No images found in ${folder}: looked for .png, .jpg, .jpeg and .webp files in it and its sub-folders`);
  const onProgress: ProgressCallback = (done, total) => control.onProgress?.(done, total, 'Checking images');
  const results = await probeFolder(scan, { signal: control.signal, onProgress });
  const report = checkDataset(results, target);
  const paths = new Map(scan.images.map((image) => [image.rel, image.path]));
  const thumbnails: Record<string, string> = {};
  for (const group of report.duplicateGroups.slice(0, THUMBNAIL_GROUPS)) {
    for (const file of group.files.slice(0, THUMBNAILS_PER_GROUP)) {
      control.signal?.throwIfAborted();
      const png = await thumbnail(paths.get(file)!);
      if (png) thumbnails[file] = png;
    }
  }
  return { report, thumbnails };
}

/** A small PNG of an image file (base64), centre-cropped as the import crops; null when it cannot be read. */
async function thumbnail(file: string): Promise<string | null> {
  try {
    const png = await sharp(file, { failOn: 'error', autoOrient: true })
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'cover' })
      .flatten({ background: '#000000' })
      .png()
      .toBuffer();
    return png.toString('base64');
  } catch {
    return null;
  }
}

/** Images probed per chunk of a cache check, between which progress goes out and a cancel comes in. */
const CACHE_CHUNK = 500;

/**
 * Checks the images of a project's dataset cache: count, exact and near duplicates, colour mix.
 * They are already square at the training size, so aspect and size findings cannot appear (the
 * folder check at import saw the originals). Files are named `#index`.
 */
export async function checkCacheImages(cache: DatasetCache, target: DataCheckTarget, control: CheckControl = {}): Promise<DataCheckReport> {
  const results: ProbeResult[] = [];
  const channels = cache.channels as 1 | 3;
  const per = cache.size * cache.size * channels;
  for (let start = 0; start < cache.count; start += CACHE_CHUNK) {
    control.signal?.throwIfAborted();
    const n = Math.min(CACHE_CHUNK, cache.count - start);
    const bytes = cache.readUint8(start, n);
    for (let i = 0; i < n; i++) {
      results.push({ ok: true, probe: probeCacheImage(bytes.subarray(i * per, (i + 1) * per), cache.size, channels, start + i) });
    }
    control.onProgress?.(start + n, cache.count, 'Hashing images');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  control.onProgress?.(0, 1, 'Comparing images');
  return checkDataset(results, target);
}
