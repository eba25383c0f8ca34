/**
 * Checkpoints: one self-describing binary file per saved step,
 *   "GVCK" | uint32 header length | JSON header | zero padding to 4 bytes | float32 tensors,
 * holding G, D, their BatchNorm statistics, both Adam states and G's moving average (where the run
 * keeps one, train/ema.ts), so a resumed run continues
 * exactly (all randomness is derived from (seed, step), see util/rng.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { damaged, GanvasError } from '../../shared/errors';
import type { CheckpointInfo } from '../../shared/types';
import { writeFileAtomic } from './atomic';
import { ProjectFiles, stepOfFile } from './layout';

const MAGIC = 'GVCK';
const FORMAT_VERSION = 1;

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
  /** Data-parallel workers the step was trained with (train/parallel); absent in older checkpoints and for one worker. */
  workers?: number;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: Map<string, TensorRecord>;
}

const checkpointFile = (dir: string, step: number) => new ProjectFiles(dir).checkpoint(step);

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

const MAX_HEADER_BYTES = 16 << 20;
const MAX_TENSORS = 4096;

/** What a header must hold before any of it is trusted: offsets and lengths are checked against the file below. */
const headerSchema = z.object({
  version: z.number().int().min(1),
  step: z.number().int().min(0),
  epoch: z.number().finite().min(0),
  createdAt: z.string().max(64),
  adamSteps: z.object({ G: z.number().int().min(0), D: z.number().int().min(0) }),
  workers: z.number().int().min(1).max(1024).optional(),
  tensors: z
    .array(
      z.object({
        name: z.string().min(1).max(200),
        shape: z
          .array(
            z
              .number()
              .int()
              .min(1)
              .max(1 << 20),
          )
          .max(8),
        offset: z.number().int().min(0),
        length: z.number().int().min(0),
      }),
    )
    .max(MAX_TENSORS),
});

/**
 * Reads a checkpoint, trusting nothing: the header is validated, every tensor must lie inside the
 * file after the header, its length must equal the product of its shape, and (when `expectStep`
 * is given) the header's step must be the one its file name says. Failures are 'damaged' errors.
 */
export function decodeCheckpoint(buf: Buffer, file: string, expectStep?: number): Checkpoint {
  const bad = (why: string) => damaged(`${path.basename(file)} is damaged: ${why}`);
  if (buf.length < 8 || buf.toString('ascii', 0, 4) !== MAGIC) throw bad('not a Ganvas checkpoint');
  const headerLength = buf.readUInt32LE(4);
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > buf.length) throw bad('truncated header');
  let raw: unknown;
  try {
    raw = JSON.parse(buf.toString('utf8', 8, 8 + headerLength));
  } catch {
    throw bad('unreadable header');
  }
  const version = (raw as { version?: unknown })?.version;
  if (typeof version === 'number' && version > FORMAT_VERSION) {
    throw new GanvasError(
      'invalid',
      `${path.basename(file)} was written by a newer Ganvas (checkpoint v${version}); update Ganvas to read it`,
    );
  }
  const parsed = headerSchema.safeParse(raw);
  if (!parsed.success) throw bad(`header ${parsed.error.issues[0]?.path.join('.') || ''} ${parsed.error.issues[0]?.message}`.trim());
  const header = parsed.data;
  if (expectStep !== undefined && header.step !== expectStep) throw bad(`its header says step ${header.step}, its name step ${expectStep}`);
  const dataStart = Math.ceil((8 + headerLength) / 4) * 4;
  const tensors = new Map<string, TensorRecord>();
  for (const e of header.tensors) {
    const elements = e.shape.reduce((a, b) => a * b, 1);
    if (elements !== e.length) throw bad(`tensor ${e.name} has ${e.length} values for shape ${e.shape.join('x')}`);
    const start = dataStart + e.offset;
    if (start + e.length * 4 > buf.length) throw bad(`truncated (tensor ${e.name})`);
    if (tensors.has(e.name)) throw bad(`tensor ${e.name} appears twice`);
    // Copy: the file buffer may not be 4-byte aligned for a Float32Array view.
    const values = new Float32Array(e.length);
    Buffer.from(values.buffer).set(buf.subarray(start, start + e.length * 4));
    tensors.set(e.name, { name: e.name, shape: e.shape, values });
  }
  return { header, tensors };
}

export function writeCheckpoint(dir: string, meta: Omit<CheckpointHeader, 'tensors' | 'version'>, tensors: TensorRecord[]): string {
  fs.mkdirSync(new ProjectFiles(dir).checkpointDir, { recursive: true });
  const file = checkpointFile(dir, meta.step);
  writeFileAtomic(file, encodeCheckpoint(meta, tensors));
  return file;
}

export function readCheckpoint(dir: string, step: number): Checkpoint {
  const file = checkpointFile(dir, step);
  return decodeCheckpoint(fs.readFileSync(file), file, step);
}

/** Steps of all complete checkpoints, ascending (temp files from a killed write are ignored). */
export function checkpointSteps(dir: string): number[] {
  const folder = new ProjectFiles(dir).checkpointDir;
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .map((f) => stepOfFile(f, 'ckpt'))
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
}

/**
 * Pinned checkpoints survive the rolling clean-up: every `keepEvery`-th save, and a step-0 file
 * (only an imported model has one: its weights cannot be rebuilt from the seed).
 */
export function isPinned(step: number, checkpointEvery: number, keepEvery: number): boolean {
  return step === 0 || (keepEvery > 0 && step % (checkpointEvery * keepEvery) === 0);
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
