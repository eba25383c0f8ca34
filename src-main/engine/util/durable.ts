/**
 * Low-level pieces of durable writes: write every byte (a write may write fewer bytes than asked,
 * e.g. at a file-size limit), flush to the disk, make a rename durable by flushing its folder,
 * and turn "disk full" into an error a person can act on. The file system calls come in as a
 * parameter, so tests can inject short writes and ENOSPC.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { GanvasError } from '../../shared/errors';

/** The synchronous calls a durable write makes (node:fs by default). */
export interface SyncFs {
  openSync(file: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(file: string, options: { force: boolean }): void;
  statSync(file: string): { mode: number };
}

export const nodeFs: SyncFs = fs;

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** "Disk full" and its cousins as a 'refused' error naming the file; anything else unchanged. */
export function asDiskError(err: unknown, file: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && DISK_FULL.has(code)) {
    return new GanvasError('refused', `Not enough disk space to write ${path.basename(file)} (${code}): free some space and try again`);
  }
  return err;
}

/** Writes all of `data` at `position` (or the file position), looping over short writes. */
export function writeAllSync(io: SyncFs, fd: number, data: Uint8Array, file: string, position: number | null = null): void {
  let done = 0;
  while (done < data.length) {
    const n = io.writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
    // A write that makes no progress will never finish: the file-size limit or a full disk.
    if (n <= 0) throw Object.assign(new Error(`could not write ${file}: no space left`), { code: 'ENOSPC' });
    done += n;
  }
}

/** The async twin of writeAllSync, for a FileHandle. */
export async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/**
 * Flushes a folder, so a rename into it survives a power cut. On Windows folders cannot be
 * opened for fsync and renames are journaled by NTFS; on macOS libuv's fsync is F_FULLFSYNC.
 */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some file systems (network, FUSE) refuse to fsync a folder: the rename stands regardless */
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
