/**
 * The gradient exchange between the replicas of a data-parallel run, in shared memory: each
 * replica writes its slice's vector (gradients, BatchNorm statistics) into its own row of a
 * SharedArrayBuffer, waits at a barrier for the others, then every replica reduces all rows in
 * the same order (replica 0 first, sums in float64), so each gets bit-identical averages without
 * a coordinator and without copying anything through messages.
 *
 * Two exchanges per step (D's, then G's) alternate between two row sets: a replica can only write
 * D's rows of the next step after every replica has passed G's barrier of this step, which each
 * does after it finished reading D's rows. No row is written while another replica reads it.
 *
 * Pure module (no tfjs, no worker_threads): the device allocates the buffers, workers attach.
 */

/** Control words: [0] barrier arrivals (monotonic), [1] abort flag (a replica failed or went). */
const ARRIVALS = 0;
const ABORT = 1;
const CONTROL_WORDS = 4;
/** How long a waiting replica sleeps before it checks the abort flag again. */
const WAIT_SLICE_MS = 250;

export interface ExchangeBuffers {
  control: SharedArrayBuffer;
  /** K rows of `dLength` floats: D's gradients + both networks' BatchNorm statistics. */
  d: SharedArrayBuffer;
  /** K rows of `gLength` floats: G's gradients. */
  g: SharedArrayBuffer;
  replicas: number;
  dLength: number;
  gLength: number;
}

export function allocateExchange(replicas: number, dLength: number, gLength: number): ExchangeBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    d: new SharedArrayBuffer(replicas * dLength * 4),
    g: new SharedArrayBuffer(replicas * gLength * 4),
    replicas,
    dLength,
    gLength,
  };
}

/** Marks the exchange as abandoned and wakes every waiting replica (it throws ExchangeAborted). */
export function abortExchange(buffers: Pick<ExchangeBuffers, 'control'>): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, ARRIVALS);
}

export class ExchangeAborted extends Error {
  constructor() {
    super('another worker failed or was stopped');
    this.name = 'ExchangeAborted';
  }
}

/** One replica's view of the exchange. */
export class Exchange {
  private readonly control: Int32Array;
  private readonly rows: { d: Float32Array; g: Float32Array };
  private barriers = 0;

  constructor(
    readonly buffers: ExchangeBuffers,
    readonly replica: number,
    /** This replica's share of the batch (its rows / the batch size): its weight in the average. */
    private readonly weights: readonly number[],
  ) {
    this.control = new Int32Array(buffers.control);
    this.rows = { d: new Float32Array(buffers.d), g: new Float32Array(buffers.g) };
  }

  /** This replica's row of `which`, to fill before `reduce`. */
  row(which: 'd' | 'g'): Float32Array {
    const n = which === 'd' ? this.buffers.dLength : this.buffers.gLength;
    return this.rows[which].subarray(this.replica * n, (this.replica + 1) * n);
  }

  /** Waits until every replica has filled its row, then returns the weighted mean of all rows. */
  reduce(which: 'd' | 'g'): Float32Array {
    this.barrier();
    const n = which === 'd' ? this.buffers.dLength : this.buffers.gLength;
    const all = this.rows[which];
    const acc = new Float64Array(n);
    // Same order, same float64 sums on every replica: the result is bit-identical everywhere.
    for (let r = 0; r < this.buffers.replicas; r++) {
      const w = this.weights[r];
      const base = r * n;
      for (let i = 0; i < n; i++) acc[i] += w * all[base + i];
    }
    return Float32Array.from(acc);
  }

  /** Blocks (Atomics.wait: worker threads only) until all K replicas arrived at this barrier. */
  private barrier(): void {
    const target = ++this.barriers * this.buffers.replicas;
    const arrived = Atomics.add(this.control, ARRIVALS, 1) + 1;
    if (arrived >= target) {
      Atomics.notify(this.control, ARRIVALS);
    } else {
      for (;;) {
        if (Atomics.load(this.control, ABORT) !== 0) throw new ExchangeAborted();
        const now = Atomics.load(this.control, ARRIVALS);
        if (now >= target) break;
        Atomics.wait(this.control, ARRIVALS, now, WAIT_SLICE_MS);
      }
    }
    if (Atomics.load(this.control, ABORT) !== 0) throw new ExchangeAborted();
  }
}

/** Rows per replica: the batch split as evenly as it goes, the first replicas taking one more. */
export function sliceSizes(batch: number, replicas: number): number[] {
  const base = Math.floor(batch / replicas);
  return Array.from({ length: replicas }, (_, r) => base + (r < batch % replicas ? 1 : 0));
}
