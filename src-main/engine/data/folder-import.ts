/**
 * Imports a folder of images into a dataset cache. Files decode in parallel (sharp runs off the
 * JS thread) but are written strictly in sorted-path order, so importing the same folder twice
 * gives byte-identical caches. Broken files are skipped and reported, never fatal.
 */
import type { ImportReport } from '../../shared/types';
import { createDatasetCacheWriter } from './cache-writer';
import type { ProbeResult } from './checks-probe';
import { probeImageBytes } from './checks-probe';
import { type DecodeResult, decodeSquare, decodeSquareBytes, readImageBytes } from './decode';
import { type ProgressCallback, progressTicker } from './progress';
import { forEachOrdered } from './ordered';
import { type ScannedImage, scanImageFolder } from './scan';

export interface ImportOptions {
  size: number;
  channels: 1 | 3;
  /** The cache to (re)write; it is replaced atomically only when the import succeeds. */
  outFile: string;
  /** Called at 0, every ~1% and at the end with the file just processed. */
  onProgress?: ProgressCallback;
  /** Aborting stops the import, deletes the partial output and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Files decoded at once (default 3: sharp's own threads keep 2 cores busy). */
  concurrency?: number;
  /** Also probe each file for the data check (data/checks.ts) from the same read. */
  probe?: boolean;
}

export interface FolderImportResult extends ImportReport {
  /** Images written (same as `imported`). */
  count: number;
  /** Files without an image extension, ignored. */
  ignored: number;
  /** Every file's probe, in scan order (with `probe`). */
  probes?: ProbeResult[];
}

/** Lists the first few skipped files for an error message. */
function skippedSummary(skipped: ImportReport['skipped']): string {
  const shown = skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`);
  return shown.join('; ') + (skipped.length > 3 ? `; and ${skipped.length - 3} more` : '');
}

/**
 * Imports every png/jpg/jpeg/webp under `folder` (recursively; class sub-folders become labels,
 * see scan.ts), centre-cropped and resized to size×size with `channels` channels.
 * @throws Error with a user-readable message when the folder is missing, is not a folder,
 *   holds no images, or fewer than two images could be decoded.
 */
export async function importImageFolder(folder: string, options: ImportOptions): Promise<FolderImportResult> {
  const { size, channels, outFile, signal } = options;
  const scan = await scanImageFolder(folder);
  const total = scan.images.length;
  if (total === 0) {
    throw new Error(`No images found in ${folder}: looked for .png, .jpg, .jpeg and .webp files in it and its sub-folders`);
  }
  signal?.throwIfAborted();
  const writer = await createDatasetCacheWriter(outFile, { size, channels, classes: scan.classes });
  const skipped: ImportReport['skipped'] = [];
  const tick = progressTicker(total, options.onProgress);
  const probes: ProbeResult[] = [];
  const record = async ({ result, probe }: Decoded, image: ScannedImage, index: number): Promise<void> => {
    if (result.ok) await writer.append(result.data, image.label);
    else skipped.push({ file: image.rel, reason: result.reason });
    if (probe) probes.push(probe);
    tick(index + 1, image.rel);
  };
  try {
    tick(0);
    const decode = options.probe
      ? decodeAndProbe(size, channels)
      : async (image: ScannedImage) => ({ result: await decodeSquare(image.path, size, channels) });
    await forEachOrdered(scan.images, options.concurrency ?? 3, decode, record, signal);
    if (writer.count === 0) {
      throw new Error(`None of the ${total} images in ${folder} could be read (${skippedSummary(skipped)})`);
    }
    if (writer.count === 1) {
      const extra = skipped.length ? ` (skipped: ${skippedSummary(skipped)})` : '';
      throw new Error(`Only one usable image in ${folder}; a GAN needs at least 2${extra}`);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const count = await writer.finish();
  return { imported: count, count, skipped, classes: scan.classes, ignored: scan.ignored, ...(options.probe && { probes }) };
}

interface Decoded {
  result: DecodeResult;
  probe?: ProbeResult;
}

/** One read per file, decoded for the cache and probed for the data check. */
const decodeAndProbe =
  (size: number, channels: 1 | 3) =>
  async (image: ScannedImage): Promise<Decoded> => {
    const read = await readImageBytes(image.path);
    if (!read.ok) return { result: read, probe: { ok: false, file: image.rel, reason: read.reason } };
    const [result, probe] = await Promise.all([decodeSquareBytes(read.bytes, size, channels), probeImageBytes(read.bytes, image.rel)]);
    return { result, probe };
  };
