/**
 * Data-parallel training on the CPU backends: K worker threads in the compute process, each a full
 * replica of G, D and both Adams (built from the same seed, or restored from the same checkpoint).
 * Each step, every replica trains on its rows of the batch; gradients are averaged in shared
 * memory (./exchange.ts) and every replica applies the same Adam update, so the replicas stay
 * identical without shipping weights. A checksum of every replica's state is compared every
 * CHECKSUM_EVERY steps and before each snapshot; a mismatch ends the run with an error.
 *
 * Preview grids and snapshots come from replica 0. A worker thread that ends (crash, killed)
 * makes `lost` resolve and the step in flight throw DeviceLostError: the Trainer then ends the
 * run at its last checkpoint.
 */
import type { BackendReport, ModelConfig, TrainHyper } from '../../../shared/types';
import type { Checkpoint } from '../../project/checkpoints';
import { DeviceLostError, type DeviceSnapshot, type StepData, type TrainingDevice } from '../device/device';
import type { StepMetrics } from '../step';
import { abortExchange, allocateExchange, ExchangeAborted, sliceSizes, type ExchangeBuffers } from './exchange';
import type { SliceData } from './replica';
import { ReplicaThread } from './replica-thread';

/** Steps between two replica checksums (each costs a hash of the state in every worker, ~10 ms). */
export const CHECKSUM_EVERY = 50;

export interface ParallelOptions {
  workers: number;
  backend: BackendReport & { active: 'wasm' | 'cpu' };
  model: ModelConfig;
  hyper: Pick<TrainHyper, 'learningRate' | 'beta1' | 'beta2' | 'seed' | 'batchSize' | 'emaDecay'>;
  start: Checkpoint | null;
}

/** Rows [from, to) of a step's arrays: copies, so each worker receives only its slice. */
function sliceOf(data: StepData, model: ModelConfig, from: number, to: number): SliceData {
  const pixels = model.size * model.size * model.channels;
  const separateFakes = data.fakeLabels !== null && data.fakeLabels !== data.labels;
  return {
    images: data.images.slice(from * pixels, to * pixels),
    labels: data.labels ? data.labels.slice(from, to) : null,
    fakeLabels: separateFakes ? Int32Array.from(Array.prototype.slice.call(data.fakeLabels, from, to) as number[]) : null,
    z: data.z.slice(from * model.zDim, to * model.zDim),
  };
}

export class ParallelDevice implements TrainingDevice {
  readonly lost: Promise<string>;
  private lostWhy: string | null = null;
  private broken: Error | null = null;
  private steps = 0;
  private readonly rows: number[];

  private constructor(
    private readonly threads: ReplicaThread[],
    private readonly exchange: ExchangeBuffers,
    private readonly options: ParallelOptions,
    lost: Promise<string>,
  ) {
    this.lost = lost;
    this.rows = sliceSizes(options.hyper.batchSize, threads.length);
  }

  /** Starts K workers and waits until each has built its replica; rejects (and stops them) if one cannot. */
  static async open(options: ParallelOptions): Promise<ParallelDevice> {
    const { workers, backend, model, hyper, start } = options;
    let onLost: (why: string) => void = () => {};
    const lost = new Promise<string>((resolve) => (onLost = resolve));
    let device: ParallelDevice | null = null;
    const threads = Array.from(
      { length: workers },
      (_, replica) =>
        new ReplicaThread({ replica, backend: backend.active, model, hyper, start }, (why) => {
          device?.markLost(why);
          onLost(why);
        }),
    );
    try {
      const sizes = await Promise.all(threads.map((t) => t.ready));
      const exchange = allocateExchange(workers, sizes[0].dLength, sizes[0].gLength);
      const weights = sliceSizes(hyper.batchSize, workers).map((n) => n / hyper.batchSize);
      await Promise.all(threads.map((t) => t.call({ kind: 'attach', buffers: exchange, weights })));
      device = new ParallelDevice(threads, exchange, options, lost);
      return device;
    } catch (error) {
      await Promise.all(threads.map((t) => t.close()));
      throw new Error(`Could not start ${workers} training workers: ${(error as Error).message}`);
    }
  }

  get backend(): BackendReport {
    return this.options.backend;
  }

  /** Replicas the batch is split across. */
  get workers(): number {
    return this.threads.length;
  }

  async step(data: StepData): Promise<StepMetrics> {
    this.usable();
    const { model } = this.options;
    let from = 0;
    const calls = this.threads.map((t, r) => {
      const slice = sliceOf(data, model, from, (from += this.rows[r]));
      return t.call({ kind: 'step', slice });
    });
    const results = await this.settle(calls);
    const batch = this.options.hyper.batchSize;
    const mean = (key: keyof StepMetrics) => results.reduce((sum, m, r) => sum + (m[key] * this.rows[r]) / batch, 0);
    this.steps++;
    if (this.steps % CHECKSUM_EVERY === 0) await this.verifyReplicas();
    return { dLoss: mean('dLoss'), gLoss: mean('gLoss'), dReal: mean('dReal'), dFake: mean('dFake') };
  }

  async generate(z: Float32Array, labels: number[] | null): Promise<Float32Array> {
    this.usable();
    return this.threads[0].call({ kind: 'generate', z, labels });
  }

  async snapshot(): Promise<DeviceSnapshot> {
    this.usable();
    await this.verifyReplicas();
    return this.threads[0].call({ kind: 'snapshot' });
  }

  /** Every replica's state checksum, in replica order. */
  checksums(): Promise<string[]> {
    return this.settle(this.threads.map((t) => t.call({ kind: 'checksum' })));
  }

  /** tf.memory().numTensors in each worker (leak checks). */
  tensorCounts(): Promise<number[]> {
    return this.settle(this.threads.map((t) => t.call({ kind: 'memory' })));
  }

  /** Ends worker `replica` as a crash would (tests). */
  async killWorker(replica: number): Promise<void> {
    await this.threads[replica].kill();
  }

  dispose(): void {
    abortExchange(this.exchange);
    for (const t of this.threads) void t.close();
  }

  private async verifyReplicas(): Promise<void> {
    const sums = await this.checksums();
    const odd = sums.findIndex((s) => s !== sums[0]);
    if (odd < 0) return;
    this.broken = new Error(
      `The training workers' replicas diverged (worker ${odd}'s weights differ from worker 0's after ${this.steps} steps of this run); ` +
        'the run stops. Train with workers = 1 to continue from the last checkpoint.',
    );
    throw this.broken;
  }

  /** Waits for one call per worker; the first real failure aborts the exchange so no replica waits forever. */
  private async settle<T>(calls: Promise<T>[]): Promise<T[]> {
    const outcomes = await Promise.allSettled(
      calls.map((c) =>
        c.catch((error: Error) => {
          abortExchange(this.exchange);
          throw error;
        }),
      ),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
    if (failures.length === 0) return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
    const lost = failures.find((e) => e instanceof DeviceLostError);
    if (lost || this.lostWhy !== null) throw lost ?? new DeviceLostError(this.lostWhy!);
    // The replica that failed first says why; the others only saw the exchange abandoned.
    this.broken = failures.find((e) => !e.message.includes(new ExchangeAborted().message)) ?? failures[0];
    throw this.broken;
  }

  private markLost(why: string): void {
    if (this.lostWhy !== null) return;
    this.lostWhy = why;
    abortExchange(this.exchange);
    for (const t of this.threads) void t.close();
  }

  private usable(): void {
    if (this.lostWhy !== null) throw new DeviceLostError(this.lostWhy);
    if (this.broken) throw this.broken;
  }
}
