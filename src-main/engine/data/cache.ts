/**
 * Reading the dataset cache (format in cache-format.ts). Epochs stream from disk with
 * positioned reads on one fd; caches up to `inMemoryLimitBytes` are read once into memory
 * instead, because a whole MNIST (55 MB) is cheaper to hold than to re-read every epoch.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FIXED_HEADER_BYTES, decodeClasses, decodeFixed, layoutOf } from './cache-format';

export { createDatasetCacheWriter, writeDatasetCache } from './cache-writer';
export type { CacheMeta, CacheSample, DatasetCacheWriter } from './cache-writer';

export interface DatasetBatch {
  /** indices.length × S × S × C floats in [-1, 1], NHWC, in the order of the indices. */
  images: Float32Array;
  /** Class index per image (0 for an unlabelled cache). */
  labels: Int32Array;
}

export interface DatasetCache {
  readonly file: string;
  readonly count: number;
  readonly size: number;
  readonly channels: 1 | 3;
  /** Class names; empty for an unlabelled cache. */
  readonly classes: string[];
  /** Whether the images were loaded into memory at open. */
  readonly inMemory: boolean;
  /** Reads images at arbitrary indices (duplicates allowed), scaled x/127.5 - 1. */
  readBatch(indices: ArrayLike<number>): DatasetBatch;
  /** Raw bytes of `count` consecutive images starting at `index` (previews, memorisation checks). */
  readUint8(index: number, count?: number): Uint8Array;
  /** A copy of all labels. */
  readLabels(): Int32Array;
  /** Releases the file descriptor; later reads throw. */
  close(): void;
}

export interface OpenCacheOptions {
  /** Image data up to this many bytes is read into memory at open (default 256 MiB; 0 = always stream). */
  inMemoryLimitBytes?: number;
}

const DEFAULT_IN_MEMORY = 256 << 20;

/** x/127.5 - 1 for every byte value: a table lookup beats the arithmetic in the hot loop. */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, b) => b / 127.5 - 1);

/** pread that loops until `length` bytes arrive; a short read means the file shrank under us. */
function preadFully(fd: number, into: Uint8Array, length: number, position: number, file: string): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) throw new Error(`${file} is truncated (unexpected end of file); re-import the dataset`);
    done += n;
  }
}

/**
 * Opens a dataset cache, validating its header, size and labels.
 * @throws Error (message readable by users) for a missing file, a file that is not a cache,
 *   a cache written by a newer version, or a corrupt or truncated cache.
 */
export function openDatasetCache(file: string, options: OpenCacheOptions = {}): DatasetCache {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new Error(`cannot open dataset cache ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return openFd(fd, file, options.inMemoryLimitBytes ?? DEFAULT_IN_MEMORY);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Just the header of a cache (count, size, channels, classes): cheap, for checking a project against its data. */
export function readCacheHeader(file: string): { count: number; size: number; channels: number; classes: string[] } {
  const fd = openSync(file, 'r');
  try {
    const fileBytes = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(FIXED_HEADER_BYTES, fileBytes));
    preadFully(fd, head, head.length, 0, file);
    const fixed = decodeFixed(head, file);
    if (FIXED_HEADER_BYTES + fixed.jsonBytes > fileBytes) throw new Error(`${file} is truncated (header cut short); re-import the dataset`);
    const json = Buffer.alloc(fixed.jsonBytes);
    preadFully(fd, json, json.length, FIXED_HEADER_BYTES, file);
    return { count: fixed.count, size: fixed.size, channels: fixed.channels, classes: decodeClasses(json, file) };
  } finally {
    closeSync(fd);
  }
}

function openFd(fd: number, file: string, inMemoryLimit: number): DatasetCache {
  const fileBytes = fstatSync(fd).size;
  const head = Buffer.alloc(Math.min(FIXED_HEADER_BYTES, fileBytes));
  preadFully(fd, head, head.length, 0, file);
  const fixed = decodeFixed(head, file);
  if (FIXED_HEADER_BYTES + fixed.jsonBytes > fileBytes) {
    throw new Error(`${file} is truncated (header cut short); re-import the dataset`);
  }
  const json = Buffer.alloc(fixed.jsonBytes);
  preadFully(fd, json, json.length, FIXED_HEADER_BYTES, file);
  const classes = decodeClasses(json, file);
  const layout = layoutOf({ count: fixed.count, size: fixed.size, channels: fixed.channels as 1 | 3, classes }, fixed.jsonBytes);
  if (layout.labelBytes !== fixed.labelBytes) throw new Error(`${file} is a corrupt dataset cache (label width); re-import the dataset`);
  if (fileBytes < layout.fileBytes) {
    throw new Error(`${file} is truncated (${fileBytes} of ${layout.fileBytes} bytes); re-import the dataset`);
  }
  if (fileBytes > layout.fileBytes) {
    throw new Error(
      `${file} is a corrupt dataset cache (${fileBytes - layout.fileBytes} unexpected trailing bytes); re-import the dataset`,
    );
  }

  const labels = readLabelSection(fd, file, layout.labelsOffset, layout.count, layout.labelBytes, classes.length);
  const { imageBytes, headerBytes, count } = layout;
  const imageTotal = imageBytes * count;
  let memory: Uint8Array | undefined;
  if (imageTotal <= inMemoryLimit) {
    memory = new Uint8Array(imageTotal);
    preadFully(fd, memory, imageTotal, headerBytes, file);
  }
  let open = true;
  let scratch = new Uint8Array(0);

  /** Bytes of images [index, index+n), from memory or disk; valid until the next call. */
  const raw = (index: number, n: number): Uint8Array => {
    if (!open) throw new Error(`dataset cache ${file} is closed`);
    if (!Number.isInteger(index) || index < 0 || index + n > count) {
      const what = n === 1 ? `image index ${index}` : `images ${index}..${index + n - 1}`;
      throw new RangeError(`${what} out of range 0..${count - 1}`);
    }
    const bytes = n * imageBytes;
    if (memory) return memory.subarray(index * imageBytes, index * imageBytes + bytes);
    if (scratch.length < bytes) scratch = new Uint8Array(bytes);
    preadFully(fd, scratch, bytes, headerBytes + index * imageBytes, file);
    return scratch.subarray(0, bytes);
  };

  return {
    file,
    count,
    size: layout.size,
    channels: layout.channels,
    classes,
    inMemory: memory !== undefined,

    readBatch(indices) {
      const n = indices.length;
      const images = new Float32Array(n * imageBytes);
      const out = new Int32Array(n);
      let i = 0;
      while (i < n) {
        // Coalesce runs of consecutive indices into one read: unshuffled passes become one pread per batch.
        let run = 1;
        while (i + run < n && indices[i + run] === indices[i] + run) run += 1;
        const src = raw(indices[i], run);
        const base = i * imageBytes;
        for (let k = 0; k < src.length; k += 1) images[base + k] = TO_UNIT[src[k]];
        for (let r = 0; r < run; r += 1) out[i + r] = labels[indices[i] + r];
        i += run;
      }
      return { images, labels: out };
    },

    readUint8(index, n = 1) {
      return raw(index, n).slice();
    },

    readLabels() {
      return Int32Array.from(labels);
    },

    close() {
      if (!open) return;
      open = false;
      memory = undefined;
      closeSync(fd);
    },
  };
}

/** Reads and range-checks every label, so a corrupt label fails at open, not mid-training. */
function readLabelSection(fd: number, file: string, offset: number, count: number, width: 1 | 2, numClasses: number): Uint16Array {
  const buf = Buffer.alloc(count * width);
  preadFully(fd, buf, buf.length, offset, file);
  const labels = new Uint16Array(count);
  const max = Math.max(numClasses - 1, 0);
  for (let i = 0; i < count; i += 1) {
    const v = width === 1 ? buf[i] : buf.readUInt16LE(i * 2);
    if (v > max)
      throw new Error(`${file} is a corrupt dataset cache (label ${v} at image ${i}, only ${numClasses} classes); re-import the dataset`);
    labels[i] = v;
  }
  return labels;
}
