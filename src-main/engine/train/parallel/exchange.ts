/**
 * The gradient exchange between the replicas of a data-parallel run, in shared memory: each
 * replica writes its slice's vector (gradients, BatchNorm statistics) into its own row of a
 * SharedArrayBuffer and waits at a barrier; then replica r sums the r-th 1/K of every row into a
 * shared result (a reduce-scatter: each replica does 1/K of the arithmetic), and after a second
 * barrier every replica reads the whole result. Each element is summed by one replica in replica
 * order, in float64, so all replicas read bit-identical averages, and the same K gives the same
 * sums on every run. Nothing is copied through messages.
 *
 * Buffer reuse is safe without more barriers: D's rows and result of step n+1 are only written
 * after every replica passed the first barrier of D's exchange at n+1, which each reaches after
 * it finished reading step n's results; the same holds for G's.
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
  /** The weighted means of the rows of `d` and of `g`. */
  dMean: SharedArrayBuffer;
  gMean: SharedArrayBuffer;
  replicas: number;
  dLength: number;
  gLength: number;
}

export function allocateExchange(replicas: number, dLength: number, gLength: number): ExchangeBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    d: new SharedArrayBuffer(replicas * dLength * 4),
    g: new SharedArrayBuffer(replicas * gLength * 4),
    dMean: new SharedArrayBuffer(dLength * 4),
    gMean: new SharedArrayBuffer(gLength * 4),
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
  private readonly means: { d: Float32Array; g: Float32Array };
  private barriers = 0;

  constructor(
    readonly buffers: ExchangeBuffers,
    readonly replica: number,
    /** This replica's share of the batch (its rows / the batch size): its weight in the average. */
    private readonly weights: readonly number[],
  ) {
    this.control = new Int32Array(buffers.control);
    this.rows = { d: new Float32Array(buffers.d), g: new Float32Array(buffers.g) };
    this.means = { d: new Float32Array(buffers.dMean), g: new Float32Array(buffers.gMean) };
  }

  /** This replica's row of `which`, to fill before `reduce`. */
  row(which: 'd' | 'g'): Float32Array {
    const n = which === 'd' ? this.buffers.dLength : this.buffers.gLength;
    return this.rows[which].subarray(this.replica * n, (this.replica + 1) * n);
  }

  /**
   * Waits until every replica has filled its row, then returns the weighted mean of all rows: a
   * shared array, valid until this replica's next `reduce` of the same kind (copy it before).
   */
  reduce(which: 'd' | 'g'): Float32Array {
    this.barrier();
    const n = which === 'd' ? this.buffers.dLength : this.buffers.gLength;
    const k = this.buffers.replicas;
    const all = this.rows[which];
    const out = this.means[which];
    const w = this.weights;
    const from = Math.floor((this.replica * n) / k);
    const to = Math.floor(((this.replica + 1) * n) / k);
    if (k === 2) {
      const [w0, w1] = w;
      for (let i = from; i < to; i++) out[i] = w0 * all[i] + w1 * all[n + i];
    } else {
      for (let i = from; i < to; i++) {
        let sum = 0;
        for (let r = 0; r < k; r++) sum += w[r] * all[r * n + i];
        out[i] = sum;
      }
    }
    this.barrier();
    return out;
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
