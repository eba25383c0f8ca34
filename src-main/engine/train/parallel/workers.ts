/** How many data-parallel workers a run gets: the request, or the machine's physical cores, within the limits that keep it sound. */
import fs from 'node:fs';
import os from 'node:os';
import type { BackendName, ModelConfig } from '../../../shared/types';

/** BatchNorm statistics over fewer images than this per worker are noise. */
export const MIN_SLICE = 16;
/** The most workers a run may ask for (the contract's bound as well). */
export const MAX_WORKERS = 64;

/** Physical cores: Linux says in /proc/cpuinfo; elsewhere, half the logical CPUs on x86 (2-way SMT), all on Apple silicon. */
export function physicalCores(): number {
  const logical = os.availableParallelism();
  if (process.platform === 'linux') {
    try {
      const cores = new Set<string>();
      let socket = '0';
      for (const line of fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n')) {
        const [key, value] = line.split(':').map((s) => s.trim());
        if (key === 'physical id') socket = value;
        if (key === 'core id') cores.add(`${socket}/${value}`);
      }
      if (cores.size > 0) return Math.min(cores.size, logical);
    } catch {
      /* fall through to the estimate */
    }
  }
  if (process.platform === 'darwin' && process.arch === 'arm64') return logical;
  return logical >= 4 ? Math.floor(logical / 2) : logical;
}

/**
 * What one replica worker costs, on the safe side: a wasm heap and tfjs (~110 MiB), the state
 * (weights, two Adam moments, gradients, exchange rows: ~6 floats per parameter) and its slice's
 * activations, which the wasm heap keeps at their peak (~200 floats per pixel of G's output per
 * image; the bench's peak RSS with one 64-image and two 32-image `paper64` replicas: ~2.3 GiB).
 */
export function workerBytes(model: Pick<ModelConfig, 'size' | 'channels'>, parameters: number, slice: number): number {
  return 110 * 2 ** 20 + parameters * 6 * 4 + slice * model.size * model.size * model.channels * 200 * 4;
}

export interface WorkersRequest {
  /** The user's setting; undefined = automatic. */
  requested?: number;
  backend: BackendName;
  batchSize: number;
  /** False for networks only the tape-differentiated step trains (no data-parallel version). */
  handBackprop: boolean;
  /** Bytes one worker needs (workerBytes) and bytes free now. */
  perWorker: number;
  free: number;
  cores: number;
}

export interface WorkersChoice {
  workers: number;
  /** Why fewer workers than asked for run (one line), when the user asked for more. */
  note?: string;
}

export function chooseWorkers(r: WorkersRequest): WorkersChoice {
  const asked = r.requested;
  const one = (why: string): WorkersChoice => (asked !== undefined && asked > 1 ? { workers: 1, note: why } : { workers: 1 });
  if (asked === 1) return { workers: 1 };
  if (r.backend !== 'wasm' && r.backend !== 'cpu') {
    return one(`The ${r.backend} backend already uses every core in one process; training workers apply to the wasm and cpu backends`);
  }
  if (!r.handBackprop)
    return one('This architecture trains on the tape-differentiated step, which has no multi-worker version; training in one worker');
  const bySlice = Math.max(1, Math.floor(r.batchSize / MIN_SLICE));
  // Half of what is free: the dataset cache, the main thread and other apps need the rest.
  const byMemory = Math.max(1, Math.floor((r.free * 0.5) / r.perWorker));
  const want = asked ?? r.cores;
  const workers = Math.max(1, Math.min(want, bySlice, byMemory, MAX_WORKERS));
  if (asked === undefined || workers >= asked) return { workers };
  const reason =
    workers === bySlice
      ? `each worker needs at least ${MIN_SLICE} images of the batch of ${r.batchSize}`
      : `free memory allows ${byMemory} (about ${Math.round(r.perWorker / 2 ** 20)} MiB each)`;
  return { workers, note: `${asked} training workers asked for, ${workers} used: ${reason}` };
}
