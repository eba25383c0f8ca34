/**
 * Turns a project's DatasetSource into its dataset cache: the builtin 28×28 sets (resized and
 * channel-replicated as the model needs) or a folder import.
 */
import type { DatasetInfo, DatasetSource, ImportReport } from '../../shared/types';
import type { ProbeResult } from './checks-probe';
import { type BuiltinKind, loadBuiltin } from './builtin';
import { createDatasetCacheWriter } from './cache-writer';
import { importImageFolder } from './folder-import';
import { forEachOrdered } from './ordered';
import { type ProgressCallback, progressTicker } from './progress';
import { greyToRgb, resizeGreyBatch } from './resize';

export interface PrepareOptions {
  size: number;
  channels: 1 | 3;
  outFile: string;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface PreparedDataset {
  info: DatasetInfo;
  /** Only for folder imports. */
  report?: ImportReport;
  /** Folder imports: every file probed for the data check (data/checks.ts). */
  probes?: ProbeResult[];
}

/** Images resized per sharp call: big enough to amortise the call, small enough to abort quickly. */
const CHUNK = 1000;

/**
 * Writes the dataset cache for `source` to `options.outFile` (atomically).
 * MNIST and Fashion-MNIST use train + test (70,000 images; GANs need no held-out split), in
 * file order, labelled with their 10 classes.
 * @throws Error when a builtin set is not installed, or for folder import errors (see importImageFolder).
 */
export async function prepareDataset(source: DatasetSource, options: PrepareOptions): Promise<PreparedDataset> {
  const { size, channels } = options;
  if (source.kind === 'folder') {
    const r = await importImageFolder(source.path, { ...options, probe: true });
    return {
      info: { source, count: r.count, size, channels, classes: r.classes },
      report: { imported: r.imported, skipped: r.skipped, classes: r.classes },
      probes: r.probes,
    };
  }
  const written = await writeBuiltin(source.kind, options);
  return { info: { source, count: written.count, size, channels, classes: written.classes } };
}

async function writeBuiltin(kind: BuiltinKind, options: PrepareOptions): Promise<{ count: number; classes: string[] }> {
  const { size, channels, signal } = options;
  const set = loadBuiltin(kind);
  const src = set.rows;
  if (set.cols !== src) throw new Error(`${kind} images are not square (${set.rows}×${set.cols})`);
  const writer = await createDatasetCacheWriter(options.outFile, { size, channels, classes: set.classes });
  const tick = progressTicker(set.count, options.onProgress);
  const bytes = size * size * channels;
  const starts = Array.from({ length: Math.ceil(set.count / CHUNK) }, (_, i) => i * CHUNK);
  const resizeChunk = async (start: number): Promise<Uint8Array> => {
    const n = Math.min(CHUNK, set.count - start);
    const grey = await resizeGreyBatch(set.images.subarray(start * src * src, (start + n) * src * src), n, src, size);
    return channels === 3 ? greyToRgb(grey) : grey;
  };
  const writeChunk = async (pixels: Uint8Array, start: number): Promise<void> => {
    const n = pixels.length / bytes;
    for (let i = 0; i < n; i += 1) {
      await writer.append(pixels.subarray(i * bytes, (i + 1) * bytes), set.labels[start + i]);
    }
    tick(start + n);
  };
  try {
    tick(0);
    // Two chunks resize at once: sharp runs each on one libuv thread, so both cores stay busy.
    await forEachOrdered(starts, 2, resizeChunk, writeChunk, signal);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return { count: await writer.finish(), classes: set.classes };
}
