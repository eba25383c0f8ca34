/**
 * Sends a local image folder to a `ganvas serve`, for a new project there. Only what the import
 * reads goes (the images, found by the engine's own folder scan, so classes from sub-folders
 * survive the trip). The upload's id comes from the folder's path and its files' sizes and
 * times, so after a dropped connection (or a second try) the same upload is resumed: the server
 * says how much of each file it has, and only the rest is sent.
 */
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import { scanImageFolder, sha256File } from '../engine/api/engine-api';
import { invalid } from '../shared/errors';
import type { RemoteEngine } from './client';
import { limits } from './protocol';

export interface UploadProgress {
  /** Files fully on the server. */
  done: number;
  total: number;
  file?: string;
}

interface LocalFile {
  abs: string;
  path: string;
  size: number;
  mtimeMs: number;
}

export interface UploadOptions {
  onProgress?(progress: UploadProgress): void;
  /** How long to wait for a dropped connection to come back before giving up. */
  reconnectWaitMs?: number;
  /** Chunks sent before waiting for the server to confirm the first (keeps the pipe full). */
  window?: number;
  signal?: AbortSignal;
}

async function listFolder(folder: string): Promise<{ files: LocalFile[]; id: string }> {
  const scan = await scanImageFolder(folder).catch((err: Error) => {
    throw invalid(err.message);
  });
  if (scan.images.length === 0) throw invalid(`${folder} holds no PNG, JPEG or WebP images`);
  const files = await Promise.all(
    scan.images.map(async (image) => {
      const stat = await fsp.stat(image.path);
      if (stat.size > limits.maxUploadFileBytes)
        throw invalid(`${image.rel} is larger than a server takes (${limits.maxUploadFileBytes} bytes)`);
      return { abs: image.path, path: image.rel, size: stat.size, mtimeMs: stat.mtimeMs };
    }),
  );
  const fingerprint = JSON.stringify([await fsp.realpath(folder), files.map((f) => [f.path, f.size, f.mtimeMs])]);
  return { files, id: crypto.createHash('sha256').update(fingerprint).digest('hex').slice(0, 32) };
}

/** The request failed because the socket dropped (the client says so before failing its requests). */
const isConnectionLoss = (client: RemoteEngine) => client.state === 'reconnecting';

/** Sends the rest of one file from `from`, a few chunks in flight at once. */
async function sendFile(
  client: RemoteEngine,
  id: string,
  file: LocalFile,
  from: number,
  window: number,
  signal?: AbortSignal,
): Promise<void> {
  const fh = await fsp.open(file.abs, 'r');
  try {
    const inFlight: Promise<number>[] = [];
    for (let offset = from; offset < file.size;) {
      signal?.throwIfAborted();
      const buffer = Buffer.allocUnsafe(Math.min(limits.chunkBytes, file.size - offset));
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, offset);
      if (bytesRead !== buffer.length) throw invalid(`${file.path} changed while it was being uploaded: try again`);
      inFlight.push(client.sendChunk({ upload: id, path: file.path, offset }, buffer));
      offset += bytesRead;
      if (inFlight.length >= window) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await fh.close();
  }
}

/** An upload on the server, shared by the calls that name its folder until the last releases it. */
export interface SharedUpload {
  id: string;
  /** The folder's copy on the server (what the call's path field then names). */
  serverDir: string;
  /** The caller is done with the copy; the last one out removes it from the server. */
  release(): Promise<void>;
}

interface UploadEntry {
  upload: Promise<{ id: string; serverDir: string }>;
  users: number;
}

/**
 * Two calls may name the same folder at once (the wizard's data check, then Create): they share
 * one upload, since the server takes each file's chunks in order from one sender, and the copy
 * stays until both are done with it.
 */
const uploads = new WeakMap<RemoteEngine, Map<string, UploadEntry>>();

/**
 * Uploads `folder`'s images, or joins the upload of the same folder already under way; resolves
 * with the upload's id, its folder on the server and a release for when the call is done.
 */
export async function uploadFolder(client: RemoteEngine, folder: string, options: UploadOptions = {}): Promise<SharedUpload> {
  const listed = await listFolder(folder);
  const byId = uploads.get(client) ?? new Map<string, UploadEntry>();
  uploads.set(client, byId);
  let entry = byId.get(listed.id);
  if (!entry) byId.set(listed.id, (entry = { upload: sendFolder(client, listed, options), users: 0 }));
  const mine = entry;
  mine.users++;
  const leave = () => --mine.users === 0 && byId.get(listed.id) === mine && byId.delete(listed.id);
  try {
    const done = await mine.upload;
    return {
      ...done,
      release: async () => {
        if (leave()) await client.request({ t: 'upload-remove', upload: listed.id }).catch(() => undefined);
      },
    };
  } catch (err) {
    // What the server received stays for a retry to resume.
    leave();
    throw err;
  }
}

async function sendFolder(
  client: RemoteEngine,
  { files, id }: Awaited<ReturnType<typeof listFolder>>,
  options: UploadOptions,
): Promise<{ id: string; serverDir: string }> {
  const report = (done: number, file?: string) => options.onProgress?.({ done, total: files.length, file });
  for (;;) {
    try {
      const have = (await client.request({
        t: 'upload-status',
        upload: id,
        files: files.map(({ path, size }) => ({ path, size })),
      })) as number[];
      let done = have.filter((n, i) => n === files[i].size).length;
      report(done);
      for (const [i, file] of files.entries()) {
        if (have[i] === file.size) continue;
        await sendFile(client, id, file, have[i], options.window ?? 4, options.signal);
        report(++done, file.path);
      }
      const withHashes = await Promise.all(files.map(async ({ abs, path, size }) => ({ path, size, sha256: await sha256File(abs) })));
      const serverDir = (await client.request({ t: 'upload-done', upload: id, files: withHashes })) as string;
      return { id, serverDir };
    } catch (err) {
      if (!isConnectionLoss(client)) throw err;
      // The server keeps what it received: wait for the connection and go on from there.
      await client.whenConnected(options.reconnectWaitMs ?? 120_000);
    }
  }
}
