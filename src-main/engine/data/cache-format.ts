/**
 * Layout of `dataset.bin`, the project's dataset cache. All integers little-endian.
 *
 *   0   8  magic "GNVSDATA"
 *   8   4  format version (1)
 *  12   4  header bytes H = offset of the first image (multiple of 8)
 *  16   4  count N
 *  20   4  size S (images are S×S)
 *  24   4  channels C (1 or 3)
 *  28   4  label bytes L (1 = uint8, 2 = uint16)
 *  32   4  class-names JSON byte length J
 *  36   J  class names as a UTF-8 JSON array (empty = unlabelled), zero-padded to H
 *   H      N images, uint8 [N,S,S,C] (NHWC, 0..255; scaled to [-1,1] only when read)
 *   H+N·S·S·C  N labels, uint8 or uint16 (all 0 when unlabelled)
 *
 * Labels come after the images so a writer can stream images without knowing N in advance
 * (folder imports skip broken files) and patch N into the header at the end.
 */

export const CACHE_MAGIC = 'GNVSDATA';
export const CACHE_VERSION = 1;
/** Bytes of the fixed fields; the class-names JSON follows. */
export const FIXED_HEADER_BYTES = 36;
/** Offset of the count field, which the writer patches at the end. */
export const COUNT_OFFSET = 16;

/** Header size for a given JSON length: padded to 8 so image data starts aligned. */
const headerBytesFor = (jsonBytes: number): number => Math.ceil((FIXED_HEADER_BYTES + jsonBytes) / 8) * 8;

export interface CacheHeader {
  count: number;
  size: number;
  channels: 1 | 3;
  classes: string[];
}

export interface CacheLayout extends CacheHeader {
  version: number;
  headerBytes: number;
  labelBytes: 1 | 2;
  imageBytes: number;
  labelsOffset: number;
  fileBytes: number;
}

/** uint8 labels unless there are more than 256 classes. */
export function labelBytesFor(numClasses: number): 1 | 2 {
  return numClasses > 256 ? 2 : 1;
}

/** Checks metadata a writer was given, so a bad call fails before any file is created. */
export function validateHeader(h: Omit<CacheHeader, 'count'>): void {
  if (!Number.isInteger(h.size) || h.size < 1 || h.size > 4096) throw new Error(`invalid image size ${h.size}`);
  if (h.channels !== 1 && h.channels !== 3) throw new Error(`invalid channel count ${String(h.channels)}`);
  if (h.classes.length > 65_536) throw new Error(`too many classes (${h.classes.length})`);
}

/** Computes offsets from the header fields (shared by writer and reader so they cannot drift). */
export function layoutOf(h: CacheHeader, jsonBytes: number, version = CACHE_VERSION): CacheLayout {
  const headerBytes = headerBytesFor(jsonBytes);
  const imageBytes = h.size * h.size * h.channels;
  const labelBytes = labelBytesFor(h.classes.length);
  const labelsOffset = headerBytes + h.count * imageBytes;
  return { ...h, version, headerBytes, labelBytes, imageBytes, labelsOffset, fileBytes: labelsOffset + h.count * labelBytes };
}

/** Serialises a header; `count` may be a placeholder that the writer patches later. */
export function encodeHeader(h: CacheHeader): { bytes: Buffer; layout: CacheLayout } {
  const json = Buffer.from(JSON.stringify(h.classes), 'utf8');
  const layout = layoutOf(h, json.length);
  const bytes = Buffer.alloc(layout.headerBytes);
  bytes.write(CACHE_MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(CACHE_VERSION, 8);
  bytes.writeUInt32LE(layout.headerBytes, 12);
  bytes.writeUInt32LE(h.count, 16);
  bytes.writeUInt32LE(h.size, 20);
  bytes.writeUInt32LE(h.channels, 24);
  bytes.writeUInt32LE(layout.labelBytes, 28);
  bytes.writeUInt32LE(json.length, 32);
  json.copy(bytes, FIXED_HEADER_BYTES);
  return { bytes, layout };
}

/** The fixed-size header fields, as read (not yet trusted beyond decodeFixed's checks). */
export interface FixedHeader {
  version: number;
  headerBytes: number;
  count: number;
  size: number;
  channels: number;
  labelBytes: number;
  jsonBytes: number;
}

/**
 * Parses and sanity-checks the fixed header fields; `head` holds the first FIXED_HEADER_BYTES
 * (or the whole file when shorter). The class names follow; see decodeClasses.
 * @throws Error naming the file and what is wrong: not a cache, newer version, corrupt fields.
 */
export function decodeFixed(head: Buffer, file: string): FixedHeader {
  if (head.length < FIXED_HEADER_BYTES || head.toString('latin1', 0, 8) !== CACHE_MAGIC) {
    throw new Error(`${file} is not a Ganvas dataset cache (bad magic); re-import the dataset`);
  }
  const version = head.readUInt32LE(8);
  if (version > CACHE_VERSION) {
    throw new Error(
      `${file} was written by a newer Ganvas (dataset cache version ${version}, this build reads up to ${CACHE_VERSION}); update Ganvas or re-import the dataset`,
    );
  }
  const fields = {
    version,
    headerBytes: head.readUInt32LE(12),
    count: head.readUInt32LE(16),
    size: head.readUInt32LE(20),
    channels: head.readUInt32LE(24),
    labelBytes: head.readUInt32LE(28),
    jsonBytes: head.readUInt32LE(32),
  };
  const bad =
    version < 1 ||
    fields.size < 1 ||
    fields.size > 4096 ||
    (fields.channels !== 1 && fields.channels !== 3) ||
    (fields.labelBytes !== 1 && fields.labelBytes !== 2) ||
    fields.headerBytes !== headerBytesFor(fields.jsonBytes);
  if (bad) throw new Error(`${file} is a corrupt dataset cache (inconsistent header); re-import the dataset`);
  return fields;
}

/** Parses the class-names JSON; corrupt JSON means a corrupt cache. */
export function decodeClasses(json: Buffer, file: string): string[] {
  try {
    const classes: unknown = JSON.parse(json.toString('utf8'));
    if (Array.isArray(classes) && classes.every((c) => typeof c === 'string')) return classes as string[];
  } catch {
    // fall through to the error below: the reason is the same for bad JSON and a bad shape
  }
  throw new Error(`${file} is a corrupt dataset cache (bad class names); re-import the dataset`);
}
