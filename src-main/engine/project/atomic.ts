import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that readers see the old or the new content, never a torn one: temp file in
 * the same folder (same filesystem, so rename is atomic), fsync, then rename over the target.
 * A process killed at any moment leaves at worst a stray `.tmp-*` file, which loaders ignore.
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const tmp = path.join(path.dirname(file), `.tmp-${process.pid}-${Date.now()}-${path.basename(file)}`);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}
