/**
 * A small, strict zip reader for torch.save's archive format (torch >= 1.6): central directory,
 * zip64 sizes and offsets, stored and deflated entries, CRC-32 checked. Every offset is bounds-
 * checked, so a truncated or damaged file gives one readable line, never a RangeError or a hang.
 */
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

export interface ZipArchive {
  entries: Map<string, ZipEntry>;
  /** The entry's bytes, inflated and CRC-checked. */
  read(name: string): Uint8Array;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U32_MAX = 0xffffffff;

/** True when `bytes` starts like a zip archive ("PK"; a file cut short after it is a damaged zip). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b;
}

export function readZip(bytes: Uint8Array, file: string): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const damaged = (what: string) => new Error(`${file} is a damaged or truncated zip archive (${what})`);
  const u16 = (at: number) => {
    if (at < 0 || at + 2 > bytes.length) throw damaged(`read past the end at byte ${at}`);
    return view.getUint16(at, true);
  };
  const u32 = (at: number) => {
    if (at < 0 || at + 4 > bytes.length) throw damaged(`read past the end at byte ${at}`);
    return view.getUint32(at, true);
  };
  const u64 = (at: number) => {
    const v = u32(at) + u32(at + 4) * 2 ** 32;
    if (!Number.isSafeInteger(v)) throw damaged(`a 64-bit field at byte ${at} is out of range`);
    return v;
  };

  // End of central directory: the last 22+ bytes, possibly followed by a comment of up to 64 KiB.
  let eocd = -1;
  if (bytes.length < 22) throw damaged('shorter than any zip archive');
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw damaged('no end-of-archive record: the file was cut short');
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === U32_MAX || cdOffset === U32_MAX || (eocd >= 20 && u32(eocd - 20) === EOCD64_LOCATOR)) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== EOCD64_LOCATOR) throw damaged('zip64 locator missing');
    const record = u64(locator + 8);
    if (u32(record) !== EOCD64) throw damaged('zip64 end record missing');
    count = u64(record + 32);
    cdSize = u64(record + 40);
    cdOffset = u64(record + 48);
  }
  if (cdOffset + cdSize > bytes.length) throw damaged('central directory past the end of the file');

  const entries = new Map<string, ZipEntry>();
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL) throw damaged(`central directory entry ${i} is corrupt`);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    let compressedSize = u32(at + 20);
    let size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let localOffset = u32(at + 42);
    if (at + 46 + nameLength > bytes.length) throw damaged('entry name past the end');
    const name = Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    // zip64 extra field: the 64-bit values of whichever 32-bit fields are 0xffffffff, in this order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength;) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        const next = () => {
          const v = u64(p);
          p += 8;
          return v;
        };
        if (size === U32_MAX) size = next();
        if (compressedSize === U32_MAX) compressedSize = next();
        if (localOffset === U32_MAX) localOffset = next();
      }
      e += 4 + len;
    }
    entries.set(name, { name, method, compressedSize, size, crc, localOffset });
    at += 46 + nameLength + extraLength + commentLength;
  }

  const read = (name: string): Uint8Array => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`${file} has no entry ${name}`);
    const local = entry.localOffset;
    if (u32(local) !== LOCAL) throw damaged(`entry ${name} has no local header`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) throw damaged(`entry ${name} is cut short`);
    const raw = bytes.subarray(start, end);
    let data: Uint8Array;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) {
      try {
        // maxOutputLength: a deflate bomb cannot inflate past the size the directory declares.
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
      } catch {
        throw damaged(`entry ${name} does not inflate`);
      }
    } else throw new Error(`${file}: entry ${name} uses zip compression method ${entry.method}; only stored and deflated entries are read`);
    if (data.length !== entry.size) throw damaged(`entry ${name} is ${data.length} bytes, the directory says ${entry.size}`);
    if (zlib.crc32(data) !== entry.crc) throw damaged(`entry ${name} fails its CRC check`);
    return data;
  };
  return { entries, read };
}
