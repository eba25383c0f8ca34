/**
 * Where a run's maths happens. The Trainer owns the loop, the data, the files and the cadence;
 * a TrainingDevice holds the networks and their optimisers and does the numbers: one step, G in
 * inference mode (the preview grid) and a snapshot of the whole training state (checkpoints).
 *
 * Today's path is LocalDevice (this process's tfjs, any Node backend). Other devices hold their
 * networks elsewhere (a browser window's WebGPU, worker threads) and receive plain arrays, so a
 * step's inputs are typed arrays here, not tensors: the same bytes reach every device and the
 * same seed gives the same batch everywhere.
 */
import type { BackendReport } from '../../../shared/types';
import type { TensorRecord } from '../../project/checkpoints';
import type { StepMetrics } from '../step';

/** One step's inputs, all derived from the project seed and the step number by the Trainer. */
export interface StepData {
  /** Real images, [batch, size, size, channels] in [-1, 1]. */
  images: Float32Array;
  /** Class of each real image (conditional models), else null. */
  labels: Int32Array | null;
  /** Class of each fake image: the real labels or drawn at random (`fakeLabels` setting); null if unconditional. */
  fakeLabels: ArrayLike<number> | null;
  /** Latent vectors, [batch, zDim]. */
  z: Float32Array;
  /** Seed of the step's dropout masks (networks with dropout layers). */
  dropoutSeed: number;
}

/** The full training state: every tensor by checkpoint name, and each optimiser's step count. */
export interface DeviceSnapshot {
  tensors: TensorRecord[];
  adamSteps: { G: number; D: number };
}

export interface TrainingDevice {
  /** The backend the step runs on, as the run reports it (metrics rows, status). */
  readonly backend: BackendReport;
  /** Data-parallel replicas each step is split across (train/parallel); absent: one. */
  readonly workers?: number;
  /** One D update then one G update. */
  step(data: StepData): Promise<StepMetrics>;
  /** G in inference mode: images [n, size, size, channels] for z rows [n, zDim] (and a class per row). */
  generate(z: Float32Array, labels: number[] | null): Promise<Float32Array>;
  snapshot(): Promise<DeviceSnapshot>;
  /**
   * Resolves with why, if the device ends on its own (a lost GPU, a closed window); never for a
   * local device. The Trainer stops the run at the next step and keeps the last checkpoint.
   */
  readonly lost?: Promise<string>;
  dispose(): void;
}

/** A step or snapshot that failed because the device itself went (not the maths): the run ends at its last checkpoint. */
export class DeviceLostError extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'DeviceLostError';
  }
}
