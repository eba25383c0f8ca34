/**
 * The one way the app writes a file: readers see the old content or the new, never a torn one,
 * and a full disk never costs the old file. A temp file in the same folder (same file system, so
 * the rename is atomic) gets every byte, is flushed, and is renamed over the target; then the
 * folder is flushed so the rename survives a power cut. On any failure the temp file is removed
 * and the target is untouched. A process killed mid-write leaves at worst a stray `.tmp-*` file,
 * which loaders ignore.
 */
import path from 'node:path';
import { asDiskError, fsyncDir, nodeFs, writeAllSync, type SyncFs } from '../util/durable';

let counter = 0;

export function writeFileAtomic(file: string, data: Uint8Array | string, io: SyncFs = nodeFs): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const tmp = path.join(path.dirname(file), `.tmp-${process.pid}-${Date.now()}-${++counter}-${path.basename(file)}`);
  // Keep an existing file's permissions (a private file stays private when replaced).
  let mode = 0o644;
  try {
    mode = io.statSync(file).mode & 0o777;
  } catch {
    /* a new file */
  }
  let fd: number | null = null;
  try {
    fd = io.openSync(tmp, 'wx', mode);
    writeAllSync(io, fd, bytes, file, 0);
    io.fsyncSync(fd);
    io.closeSync(fd);
    fd = null;
    io.renameSync(tmp, file);
  } catch (err) {
    if (fd !== null) {
      try {
        io.closeSync(fd);
      } catch {
        /* already failing: the first error is the one to report */
      }
    }
    io.rmSync(tmp, { force: true });
    throw asDiskError(err, file);
  }
  fsyncDir(path.dirname(file));
}

export function writeJsonAtomic(file: string, value: unknown, io?: SyncFs): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', io);
}
