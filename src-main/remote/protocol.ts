/**
 * The wire between a `ganvas serve` and its clients: ONE WebSocket per client carries calls,
 * results, engine events and file transfers (docs/server.md).
 *
 * Text frames are JSON messages, each checked with the zod schemas below before anything acts on
 * it; a contract call's payload is then validated by the engine's own dispatch, as from any door.
 * Binary frames carry file bytes: a 4-byte big-endian header length, a JSON header (also checked
 * here), then the raw bytes, so images never pay base64's third.
 *
 * Every request has a client-chosen `id`; the server answers each with one `result` (file
 * downloads first send their bytes as `data` frames with the same id).
 */
import { z } from 'zod';
import type { ServerInfo } from '../shared/types/connection';

export const PROTOCOL_VERSION = 1;

export const limits = {
  /**
   * The largest frame a server reads (the WebSocket library refuses a larger one from its header,
   * before reading its body, and closes with 1009). Calls are small: the largest is a batch of
   * 64 latent vectors (~1.5 MB of JSON); upload chunks are CHUNK_BYTES.
   */
  serverMaxFrame: 16 * 1024 * 1024,
  /** Before authentication a client may send only the small hello. */
  preAuthMaxFrame: 4096,
  /** What a client accepts: results carry PNGs as base64 (256 images at 128 px are ~10 MB). */
  clientMaxFrame: 256 * 1024 * 1024,
  /** File bytes per binary frame, both ways. */
  chunkBytes: 1024 * 1024,
  /** A sender waits while more than this is queued on its socket (back-pressure). */
  highWater: 4 * 1024 * 1024,
  /** A client that lets more than this pile up (it stopped reading) is dropped. */
  slowClientBytes: 64 * 1024 * 1024,
  /** How long a new socket may take to authenticate. */
  authTimeoutMs: 10_000,
  /** Clients one server takes at once. */
  maxClients: 32,
  /** Upload limits: per file, files per upload, path length. */
  maxUploadFileBytes: 512 * 1024 * 1024,
  maxUploadFiles: 200_000,
  maxUploadPath: 1024,
  maxHeaderBytes: 64 * 1024,
} as const;

export type Limits = { -readonly [K in keyof typeof limits]: number };

/** Close codes (4000-4999 are the application's). */
export const closeCodes = {
  /** The token was wrong or missing. */
  unauthorized: 4401,
  /** Authentication took too long. */
  authTimeout: 4408,
  /** The server has as many clients as it takes. */
  full: 4429,
  /** The client stopped reading and too much piled up for it. */
  tooSlow: 4413,
  /** A message the protocol does not know or a malformed frame. */
  protocol: 4400,
} as const;

const requestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** An upload's id: chosen by the client from the folder's contents, so a retry resumes it. */
export const uploadId = z.string().regex(/^[a-z0-9-]{8,64}$/, 'an upload id is 8 to 64 of a-z, 0-9 and -');
/** A file inside an upload: relative, forward slashes, no dot segments, no control characters. */
export const uploadPath = z
  .string()
  .min(1)
  .max(limits.maxUploadPath)
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f\u007f\\]/.test(p), 'control characters and backslashes are not allowed')
  .refine(
    (p) => !p.startsWith('/') && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'a relative path without . or .. parts',
  );

const uploadFile = z.object({ path: uploadPath, size: z.number().int().min(0).max(limits.maxUploadFileBytes) });

/** Client -> server, text frames. */
export const clientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('hello'), token: z.string().max(512), protocol: z.number().int() }),
  z.object({ t: z.literal('call'), id: requestId, method: z.string().max(100), payload: z.unknown() }),
  /** How much of each file of an upload the server has (resume after a drop). */
  z.object({ t: z.literal('upload-status'), id: requestId, upload: uploadId, files: z.array(uploadFile).max(limits.maxUploadFiles) }),
  /** All files are sent: the server checks sizes and hashes and answers the folder's server path. */
  z.object({
    t: z.literal('upload-done'),
    id: requestId,
    upload: uploadId,
    files: z.array(uploadFile.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(limits.maxUploadFiles),
  }),
  /** Removes an upload's folder (after the project that imported it exists). */
  z.object({ t: z.literal('upload-remove'), id: requestId, upload: uploadId }),
  /** Streams a file under the root back; `remove` deletes it afterwards (only a server-made transfer file). */
  z.object({ t: z.literal('download'), id: requestId, path: z.string().min(1).max(4096), remove: z.boolean().optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

/** Client -> server, binary frames: one chunk of an upload's file, written at `offset`. */
export const chunkHeader = z.object({
  t: z.literal('chunk'),
  id: requestId,
  upload: uploadId,
  path: uploadPath,
  offset: z.number().int().min(0).max(limits.maxUploadFileBytes),
});
export type ChunkHeader = z.infer<typeof chunkHeader>;

/** Server -> client, binary frames: bytes of a download at `offset`. */
export const dataHeader = z.object({ t: z.literal('data'), id: requestId, offset: z.number().int().min(0) });
export type DataHeader = z.infer<typeof dataHeader>;

/** Server -> client, text frames. */
export type ServerMessage =
  | { t: 'welcome'; protocol: number; server: ServerInfo }
  | { t: 'denied'; message: string }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: string }
  | { t: 'event'; name: string; payload: unknown };

export const serverMessage = z.union([
  z.object({
    t: z.literal('welcome'),
    protocol: z.number(),
    server: z.object({ version: z.string(), host: z.string(), root: z.string(), gpus: z.array(z.string()) }),
  }),
  z.object({ t: z.literal('denied'), message: z.string() }),
  z.union([
    z.object({ t: z.literal('result'), id: requestId, ok: z.literal(true), value: z.unknown() }),
    z.object({ t: z.literal('result'), id: requestId, ok: z.literal(false), error: z.string() }),
  ]),
  z.object({ t: z.literal('event'), name: z.string(), payload: z.unknown() }),
]);

/** A binary frame: [u32 header length][JSON header][bytes]. */
export function encodeBinary(header: object, bytes: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const frame = Buffer.allocUnsafe(4 + json.length + bytes.length);
  frame.writeUInt32BE(json.length, 0);
  json.copy(frame, 4);
  frame.set(bytes, 4 + json.length);
  return frame;
}

/** Splits a binary frame; throws on a header that is missing, too long or not JSON. */
export function decodeBinary(frame: Buffer): { header: unknown; bytes: Buffer } {
  if (frame.length < 4) throw new Error('a binary frame shorter than its length field');
  const length = frame.readUInt32BE(0);
  if (length > limits.maxHeaderBytes || 4 + length > frame.length) throw new Error('a binary frame whose header length does not fit');
  const header: unknown = JSON.parse(frame.subarray(4, 4 + length).toString('utf8'));
  return { header, bytes: frame.subarray(4 + length) };
}

/** The first issue of a failed parse, as one line. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'malformed'}`;
}
