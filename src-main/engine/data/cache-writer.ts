/**
 * Streams images into a dataset cache (format in cache-format.ts). Images go to disk in ~4 MB
 * chunks, so a 100k-image import never holds the whole set in memory; only the labels (≤ 2 bytes
 * each) are kept until the end. The file appears atomically: it is written under a temporary
 * name in the same folder and renamed over `file` only after a successful fsync.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { asDiskError, fsyncDir, writeAll } from '../util/durable';
import { COUNT_OFFSET, type CacheHeader, encodeHeader, validateHeader } from './cache-format';

const CHUNK_BYTES = 4 << 20;

export interface DatasetCacheWriter {
  /** Images appended so far. */
  readonly count: number;
  /**
   * Appends one image (uint8 [S,S,C], exactly S*S*C bytes) with its class index
   * (must be 0 or omitted for an unlabelled cache). The bytes are copied.
   */
  append(image: Uint8Array, label?: number): Promise<void>;
  /** Writes labels and the final count, fsyncs, renames into place; returns the image count. */
  finish(): Promise<number>;
  /** Deletes the temporary file; `file` is left untouched. Safe to call more than once. */
  abort(): Promise<void>;
}

export type CacheMeta = Omit<CacheHeader, 'count'>;

/** Opens a writer for `file` with the given image size, channels and class names. */
export async function createDatasetCacheWriter(file: string, meta: CacheMeta): Promise<DatasetCacheWriter> {
  validateHeader(meta);
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const { bytes: header, layout } = encodeHeader({ ...meta, count: 0 });
  const numClasses = meta.classes.length;
  await mkdir(dirname(file), { recursive: true });
  const fh: FileHandle = await open(tmp, 'w');
  let closed = false;
  let position = 0;
  // One image or the header must always fit in a chunk, however large the images are.
  const capacity = Math.max(CHUNK_BYTES, header.length, layout.imageBytes);
  let chunk = Buffer.allocUnsafe(capacity);
  let used = 0;
  let labels = new Uint16Array(1024);
  let count = 0;

  header.copy(chunk, 0);
  used = header.length;

  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = chunk;
    const n = used;
    const at = position;
    // Swap in a fresh buffer and advance first, so an append during the await cannot
    // overwrite bytes being written or reuse their file position.
    chunk = Buffer.allocUnsafe(capacity);
    used = 0;
    position += n;
    await writeAll(fh, full.subarray(0, n), at);
  };

  const abort = async (): Promise<void> => {
    if (!closed) {
      closed = true;
      await fh.close().catch(() => undefined);
    }
    await rm(tmp, { force: true });
  };

  const appendOne = async (image: Uint8Array, label: number): Promise<void> => {
    if (closed) throw new Error('dataset cache writer is already closed');
    if (image.length !== layout.imageBytes) {
      throw new Error(`image has ${image.length} bytes, expected ${layout.imageBytes} (${meta.size}×${meta.size}×${meta.channels})`);
    }
    const maxLabel = Math.max(numClasses - 1, 0);
    if (!Number.isInteger(label) || label < 0 || label > maxLabel) {
      throw new Error(`label ${label} out of range 0..${maxLabel}`);
    }
    if (count === labels.length) {
      const grown = new Uint16Array(labels.length * 2);
      grown.set(labels);
      labels = grown;
    }
    labels[count] = label;
    count += 1;
    if (used + image.length > chunk.length) await flush();
    chunk.set(image, used);
    used += image.length;
  };

  return {
    get count() {
      return count;
    },

    async append(image, label = 0) {
      try {
        await appendOne(image, label);
      } catch (err) {
        throw asDiskError(err, file);
      }
    },

    async finish() {
      if (closed) throw new Error('dataset cache writer is already closed');
      try {
        await flush();
        const used16 = labels.subarray(0, count);
        const labelBuf = layout.labelBytes === 1 ? Buffer.from(Uint8Array.from(used16)) : Buffer.alloc(count * 2);
        if (layout.labelBytes === 2) used16.forEach((v, i) => labelBuf.writeUInt16LE(v, i * 2));
        await writeAll(fh, labelBuf, position);
        const countBuf = Buffer.alloc(4);
        countBuf.writeUInt32LE(count, 0);
        await writeAll(fh, countBuf, COUNT_OFFSET);
        await fh.sync();
        closed = true;
        await fh.close();
        await rename(tmp, file);
        fsyncDir(dirname(file));
        return count;
      } catch (err) {
        await abort();
        throw asDiskError(err, file);
      }
    },

    abort,
  };
}

export interface CacheSample {
  image: Uint8Array;
  label?: number;
}

/**
 * Writes a whole cache from a (possibly async) stream of samples, atomically.
 * @returns the number of images written.
 */
export async function writeDatasetCache(
  file: string,
  meta: CacheMeta,
  samples: Iterable<CacheSample> | AsyncIterable<CacheSample>,
): Promise<number> {
  const writer = await createDatasetCacheWriter(file, meta);
  try {
    for await (const s of samples) await writer.append(s.image, s.label);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.finish();
}
