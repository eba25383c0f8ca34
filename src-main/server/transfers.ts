/**
 * Files crossing the wire, on the server's side: image folders uploaded for a new project (in
 * chunks, resumable after a drop) and exports streamed back to the client.
 *
 * An upload lives in <root>/.ganvas/uploads/<id>/ until the project that imports it exists. Each
 * file grows as `<name>.part` chunk by chunk (a chunk must start where the file ends, so a chunk
 * sent twice after a drop is refused, never appended twice); `upload-done` checks every file's
 * size and SHA-256, flushes it and renames it to its name. Exports the desktop asked for are
 * written to <root>/.ganvas/exports/ and removed once downloaded.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { asDiskError, fsyncDir, writeAll } from '../engine/api/engine-api';
import { damaged, invalid, notFound, refused } from '../shared/errors';
import { limits, type ChunkHeader } from '../remote/protocol';
import { isWithin, realLocation } from '../engine/api/path-rules';
import type { RootGuard } from './root-guard';
import { sha256File } from '../engine/util/sha256-file';

export const TRANSFER_FOLDER = '.ganvas';
const PART = '.part';

export interface UploadFile {
  path: string;
  size: number;
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await fsp.stat(file)).size;
  } catch {
    return null;
  }
}

export class Transfers {
  readonly uploads: string;
  readonly exports: string;

  constructor(private readonly guard: RootGuard) {
    this.uploads = path.join(guard.root, TRANSFER_FOLDER, 'uploads');
    this.exports = path.join(guard.root, TRANSFER_FOLDER, 'exports');
    fs.mkdirSync(this.uploads, { recursive: true });
    fs.mkdirSync(this.exports, { recursive: true });
  }

  uploadDir(id: string): string {
    return path.join(this.uploads, id);
  }

  /** Where a file of an upload goes; refused if a link inside the upload would lead elsewhere. */
  private target(id: string, rel: string): string {
    const dir = this.uploadDir(id);
    const file = path.join(dir, ...rel.split('/'));
    if (!isWithin(realLocation(file), realLocation(dir))) throw refused(`${rel} is not inside the upload`);
    return file;
  }

  /** Bytes the server holds of each file: its full size once finished, else what its .part has. */
  async status(id: string, files: UploadFile[]): Promise<number[]> {
    return Promise.all(
      files.map(async (f) => {
        const file = this.target(id, f.path);
        const done = await sizeOf(file);
        if (done === f.size) return done;
        return Math.min((await sizeOf(file + PART)) ?? 0, f.size);
      }),
    );
  }

  /** Appends one chunk at its offset (which must be where the file ends); the file's new size. */
  async writeChunk(header: ChunkHeader, bytes: Uint8Array): Promise<number> {
    const file = this.target(header.upload, header.path);
    if (header.offset + bytes.length > limits.maxUploadFileBytes)
      throw refused(`${header.path} is larger than ${limits.maxUploadFileBytes} bytes`);
    const part = file + PART;
    const have = (await sizeOf(part)) ?? 0;
    if (have !== header.offset)
      throw invalid(
        `${header.path}: a chunk at byte ${header.offset}, but the server has ${have} bytes (ask upload-status and go on from there)`,
      );
    await fsp.mkdir(path.dirname(part), { recursive: true });
    const fh = await fsp.open(part, 'a');
    try {
      await writeAll(fh, bytes, header.offset);
    } catch (err) {
      throw asDiskError(err, part);
    } finally {
      await fh.close();
    }
    return header.offset + bytes.length;
  }

  /** Checks and finishes every file; the upload folder's server path. */
  async finish(id: string, files: (UploadFile & { sha256: string })[]): Promise<string> {
    const dir = this.uploadDir(id);
    for (const f of files) {
      const file = this.target(id, f.path);
      if ((await sizeOf(file)) === f.size && (await sha256File(file)) === f.sha256) continue;
      const part = file + PART;
      const size = await sizeOf(part);
      if (size !== f.size) throw invalid(`${f.path} is incomplete on the server (${size ?? 0} of ${f.size} bytes): resume the upload`);
      if ((await sha256File(part)) !== f.sha256) {
        await fsp.rm(part, { force: true });
        throw damaged(`${f.path} arrived damaged (its SHA-256 differs): upload it again`);
      }
      const fh = await fsp.open(part, 'r+');
      await fh.sync();
      await fh.close();
      await fsp.rename(part, file);
      fsyncDir(path.dirname(file));
    }
    return dir;
  }

  async remove(id: string): Promise<void> {
    await fsp.rm(this.uploadDir(id), { recursive: true, force: true });
  }

  /** A file under the root to stream back: its real path and size. */
  async openDownload(p: string): Promise<{ file: string; size: number; removable: boolean }> {
    const file = this.guard.confine(p);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat?.isFile()) throw notFound(`${p} is not a file under the server's root`);
    return { file, size: stat.size, removable: isWithin(file, realLocation(this.exports)) && file !== realLocation(this.exports) };
  }
}
