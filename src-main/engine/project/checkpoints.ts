/**
 * Checkpoints: one self-describing binary file per saved step,
 *   "GVCK" | uint32 header length | JSON header | zero padding to 4 bytes | float32 tensors,
 * holding G, D, their BatchNorm statistics and both Adam states, so a resumed run continues
 * exactly (all randomness is derived from (seed, step), see util/rng.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CheckpointInfo } from '../../shared/types';
import { writeFileAtomic } from './atomic';

const MAGIC = 'GVCK';
const FORMAT_VERSION = 1;
export const CHECKPOINT_DIR = 'checkpoints';

export interface TensorRecord {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface CheckpointHeader {
  version: number;
  step: number;
  epoch: number;
  createdAt: string;
  adamSteps: { G: number; D: number };
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: Map<string, TensorRecord>;
}

export const checkpointFile = (dir: string, step: number) =>
  path.join(dir, CHECKPOINT_DIR, `step-${String(step).padStart(8, '0')}.ckpt`);

export function encodeCheckpoint(meta: Omit<CheckpointHeader, 'tensors' | 'version'>, tensors: TensorRecord[]): Buffer {
  let offset = 0;
  const entries = tensors.map((t) => {
    const e = { name: t.name, shape: t.shape, offset, length: t.values.length };
    offset += t.values.length * 4;
    return e;
  });
  const header: CheckpointHeader = { version: FORMAT_VERSION, ...meta, tensors: entries };
  const json = Buffer.from(JSON.stringify(header));
  const headerEnd = 8 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const out = Buffer.alloc(dataStart + offset);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  for (const [i, t] of tensors.entries()) {
    Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength).copy(out, dataStart + entries[i].offset);
  }
  return out;
}

export function decodeCheckpoint(buf: Buffer, file: string): Checkpoint {
  if (buf.length < 8 || buf.toString('ascii', 0, 4) !== MAGIC) throw new Error(`${file} is not a Ganvas checkpoint`);
  const headerLength = buf.readUInt32LE(4);
  if (8 + headerLength > buf.length) throw new Error(`${file} is truncated`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 8, 8 + headerLength)) as CheckpointHeader;
  } catch {
    throw new Error(`${file} has a damaged header`);
  }
  if (header.version > FORMAT_VERSION) throw new Error(`${file} was written by a newer Ganvas (checkpoint v${header.version})`);
  const dataStart = Math.ceil((8 + headerLength) / 4) * 4;
  const tensors = new Map<string, TensorRecord>();
  for (const e of header.tensors) {
    const start = dataStart + e.offset;
    if (start + e.length * 4 > buf.length) throw new Error(`${file} is truncated (tensor ${e.name})`);
    // Copy: the file buffer may not be 4-byte aligned for a Float32Array view.
    const values = new Float32Array(e.length);
    Buffer.from(values.buffer).set(buf.subarray(start, start + e.length * 4));
    tensors.set(e.name, { name: e.name, shape: e.shape, values });
  }
  return { header, tensors };
}

export function writeCheckpoint(dir: string, meta: Omit<CheckpointHeader, 'tensors' | 'version'>, tensors: TensorRecord[]): string {
  fs.mkdirSync(path.join(dir, CHECKPOINT_DIR), { recursive: true });
  const file = checkpointFile(dir, meta.step);
  writeFileAtomic(file, encodeCheckpoint(meta, tensors));
  return file;
}

export function readCheckpoint(dir: string, step: number): Checkpoint {
  const file = checkpointFile(dir, step);
  return decodeCheckpoint(fs.readFileSync(file), file);
}

/** Steps of all complete checkpoints, ascending (temp files from a killed write are ignored). */
export function checkpointSteps(dir: string): number[] {
  const folder = path.join(dir, CHECKPOINT_DIR);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .map((f) => /^step-(\d+)\.ckpt$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** Pinned checkpoints survive the rolling clean-up: every `keepEvery`-th save. */
export function isPinned(step: number, checkpointEvery: number, keepEvery: number): boolean {
  return keepEvery > 0 && step > 0 && step % (checkpointEvery * keepEvery) === 0;
}

/** Keeps the newest `keepLast` checkpoints, the pinned ones and the steps in `keep` (e.g. the best); deletes the rest. */
export function pruneCheckpoints(
  dir: string,
  keepLast: number,
  checkpointEvery: number,
  keepEvery: number,
  keep: ReadonlySet<number> = new Set(),
): number[] {
  const steps = checkpointSteps(dir);
  const recent = new Set(steps.slice(-keepLast));
  const removed: number[] = [];
  for (const step of steps) {
    if (recent.has(step) || keep.has(step) || isPinned(step, checkpointEvery, keepEvery)) continue;
    fs.rmSync(checkpointFile(dir, step), { force: true });
    removed.push(step);
  }
  return removed;
}

export function listCheckpoints(dir: string, checkpointEvery: number, keepEvery: number): CheckpointInfo[] {
  return checkpointSteps(dir).map((step) => {
    const file = checkpointFile(dir, step);
    let epoch = 0;
    let createdAt = fs.statSync(file).mtime.toISOString();
    try {
      // Only the header is needed: read the first 64 KiB rather than the whole weights file.
      const fd = fs.openSync(file, 'r');
      const head = Buffer.alloc(65536);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      fs.closeSync(fd);
      const len = head.readUInt32LE(4);
      if (8 + len <= n) {
        const header = JSON.parse(head.toString('utf8', 8, 8 + len)) as CheckpointHeader;
        epoch = header.epoch;
        createdAt = header.createdAt;
      }
    } catch {
      /* a damaged checkpoint still lists; loading it reports the problem */
    }
    return { step, epoch, createdAt, pinned: isPinned(step, checkpointEvery, keepEvery) };
  });
}
