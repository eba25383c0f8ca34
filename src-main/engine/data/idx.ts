/**
 * Reader for the IDX format used by MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header `0x00 0x00 <type> <ndims>`, `ndims` uint32 sizes, then the raw values.
 * Only unsigned bytes (type 0x08) are supported: every image and label file of both sets uses it.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface IdxArray {
  /** Sizes of each dimension, outermost first: [N] for labels, [N, rows, cols] for images. */
  dims: number[];
  /** The values, row-major, a view of the file's bytes (no copy). */
  data: Uint8Array;
}

const UBYTE = 0x08;

/** True for a gzip stream, whatever the file is called (Debian ships `.gz`, npm ships raw). */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (gunzipping them first when they are gzip).
 * @param name used in error messages only.
 * @throws Error when the header is not IDX ubyte or the data is shorter than the header says.
 */
export function parseIdx(raw: Uint8Array, name = 'IDX data'): IdxArray {
  const bytes = isGzip(raw) ? new Uint8Array(gunzipSync(raw)) : raw;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${name} is not an IDX file (bad magic number)`);
  }
  if (bytes[2] !== UBYTE) {
    throw new Error(`${name} holds IDX type 0x${bytes[2].toString(16)}; only unsigned bytes (0x08) are supported`);
  }
  const ndims = bytes[3];
  const headerBytes = 4 + 4 * ndims;
  if (ndims === 0 || bytes.length < headerBytes) throw new Error(`${name} has a truncated IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d += 1) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerBytes;
  if (available < expected) {
    throw new Error(`${name} is truncated: header promises ${expected} values, file holds ${available}`);
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + expected) };
}

/** Reads and parses one IDX file (`.gz` or raw). Synchronous: these files are at most ~50 MB. */
export function readIdx(file: string): IdxArray {
  return parseIdx(readFileSync(file), basename(file));
}

/** An image set: N greyscale images of rows×cols, with one label each. */
export interface IdxImageSet {
  count: number;
  rows: number;
  cols: number;
  /** N*rows*cols bytes, 0 = black background. */
  images: Uint8Array;
  labels: Uint8Array;
}

/**
 * Reads image/label file pairs and concatenates them in the order given (e.g. train then test).
 * @throws Error when a pair disagrees on the count or the image sizes differ between pairs.
 */
export function readIdxImageSets(pairs: { images: string; labels: string }[]): IdxImageSet {
  const parts = pairs.map(({ images, labels }) => {
    const img = readIdx(images);
    const lab = readIdx(labels);
    if (img.dims.length !== 3) throw new Error(`${basename(images)} is not an image file (expected 3 dimensions)`);
    if (lab.dims.length !== 1) throw new Error(`${basename(labels)} is not a label file (expected 1 dimension)`);
    if (img.dims[0] !== lab.dims[0]) {
      throw new Error(`${basename(images)} has ${img.dims[0]} images but ${basename(labels)} has ${lab.dims[0]} labels`);
    }
    return { img, lab };
  });
  const [rows, cols] = parts[0].img.dims.slice(1);
  if (parts.some((p) => p.img.dims[1] !== rows || p.img.dims[2] !== cols)) {
    throw new Error('IDX image files have different image sizes');
  }
  const count = parts.reduce((n, p) => n + p.lab.dims[0], 0);
  const images = new Uint8Array(count * rows * cols);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const { img, lab } of parts) {
    images.set(img.data, at * rows * cols);
    labels.set(lab.data, at);
    at += lab.dims[0];
  }
  return { count, rows, cols, images, labels };
}
