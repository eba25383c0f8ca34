/**
 * The training loop over a project folder: resume from the newest checkpoint, stream batches
 * from the dataset cache, log metrics, render the fixed-noise grid, checkpoint, and stop cleanly.
 * Runs wherever it is called: in the worker process (app) or directly in the CLI process.
 */
import type { BackendReport, MetricRow, ProjectConfig, SampleGridInfo, TrainingStatus, TrainTarget } from '../../shared/types';
import type { DatasetCache } from '../data/cache';
import { buildGan, type Gan } from '../models/gan';
import type { Checkpoint } from '../project/checkpoints';
import { restoreGan } from '../project/gan-state';
import { appendMetrics } from '../project/metrics';
import type { Project } from '../project/project';
import { fixedGridInputs, writeFixedGrid } from '../sampling/sampler';
import { latentVectors, randomLabels } from '../sampling/noise';
import { deriveSeed, permutation, Rng, Stream } from '../util/rng';
import { DeviceLostError, type StepData, type TrainingDevice } from './device/device';
import { LocalDevice } from './device/local-device';

export interface TrainerHooks {
  onStatus?(status: TrainingStatus): void;
  onMetrics?(rows: MetricRow[]): void;
  onSample?(grid: SampleGridInfo): void;
  onCheckpoint?(step: number): void;
  /** Awaited between steps: work that shares the run's time (run-health scoring, within its budget). */
  betweenSteps?(): Promise<void>;
  /** Checkpoint steps pruning must keep (the best one). */
  keepCheckpoints?(): Iterable<number>;
}

export interface TrainerControl {
  /** Checked between steps: true makes the loop checkpoint and return. */
  stopRequested(): boolean;
  /** Checked between steps: true makes the loop checkpoint before it waits in whilePaused. */
  pauseRequested?(): boolean;
  /** Resolves immediately unless paused; the loop awaits it between steps. */
  whilePaused(): Promise<void>;
  /** The clock for the time-based checkpoint cadence (tests pass their own). */
  now?(): number;
}

export class Trainer {
  step = 0;
  private permEpoch = -1;
  private perm: Uint32Array = new Uint32Array(0);
  private imagesPerSec = 0;

  readonly config: ProjectConfig;

  private constructor(
    readonly project: Project,
    readonly device: TrainingDevice,
    readonly data: DatasetCache,
    step: number,
  ) {
    this.config = project.config;
    this.step = step;
    // History written after the resumed checkpoint (grids and metric rows of a run that crashed
    // before its next checkpoint) is moved aside, since the resumed run redoes it.
    project.rollbackTo(step);
  }

  /** Resumes the project's newest good checkpoint in this process's tfjs (LocalDevice). */
  static open(project: Project, backend: BackendReport): Trainer {
    const gan = buildGan(project.config.model, project.config.train);
    // A damaged newest checkpoint is set aside and the previous one resumed (see Project).
    const { step, checkpoint } = project.newestGoodCheckpoint();
    if (checkpoint) restoreGan(gan, checkpoint);
    return new Trainer(project, new LocalDevice(gan, backend), project.openDataset(), checkpoint ? step : 0);
  }

  /** Resumes the newest good checkpoint on a device that `openDevice` starts from it (null: step 0). */
  static async openOn(project: Project, openDevice: (start: Checkpoint | null) => Promise<TrainingDevice>): Promise<Trainer> {
    const { step, checkpoint } = project.newestGoodCheckpoint();
    const device = await openDevice(checkpoint ?? null);
    return new Trainer(project, device, project.openDataset(), checkpoint ? step : 0);
  }

  get backend(): BackendReport {
    return this.device.backend;
  }

  /** The networks of a run in this process (tests, the CLI); a run on another device has none here. */
  get gan(): Gan {
    if (this.device instanceof LocalDevice) return this.device.gan;
    throw new Error(`This run's networks live on the ${this.backend.active} device, not in this process`);
  }

  get dir(): string {
    return this.project.dir;
  }

  get stepsPerEpoch(): number {
    return this.project.stepsPerEpoch;
  }

  /** The absolute step a target means from where the project is now; Infinity = until stopped. */
  resolveTarget(target: TrainTarget): number {
    if (target.untilStep !== undefined) return target.untilStep;
    if (target.moreSteps !== undefined) return this.step + target.moreSteps;
    if (target.epochs !== undefined) return this.step + Math.round(target.epochs * this.stepsPerEpoch);
    return Number.POSITIVE_INFINITY;
  }

  /** Dataset indices for 1-based `step`: a fresh seeded permutation per epoch, last partial batch dropped. */
  batchIndices(step: number): Uint32Array {
    const { batchSize, seed } = this.config.train;
    const i = step - 1;
    const epoch = Math.floor(i / this.stepsPerEpoch);
    if (epoch !== this.permEpoch) {
      this.perm = permutation(this.data.count, new Rng(deriveSeed(seed, Stream.shuffle, epoch)));
      this.permEpoch = epoch;
    }
    const start = (i % this.stepsPerEpoch) * batchSize;
    return this.perm.subarray(start, start + batchSize);
  }

  /** Everything 1-based `step` trains on, from the dataset and the project seed alone. */
  stepData(step: number): StepData {
    const { batchSize, seed } = this.config.train;
    const model = this.config.model;
    const batch = this.data.readBatch(this.batchIndices(step));
    const labels = model.numClasses > 0 ? batch.labels : null;
    const fakeLabels =
      labels && this.config.train.fakeLabels === 'random'
        ? randomLabels(batchSize, model.numClasses, deriveSeed(seed, Stream.fakeLabels, step))
        : labels;
    return {
      images: batch.images,
      labels,
      fakeLabels,
      z: latentVectors(model, batchSize, deriveSeed(seed, Stream.noise, step)),
      dropoutSeed: deriveSeed(seed, Stream.dropout, step),
    };
  }

  /** Runs one step (1-based `this.step + 1`) and returns its metrics row. */
  async runStep(): Promise<MetricRow> {
    const started = performance.now();
    const step = this.step + 1;
    const { batchSize } = this.config.train;
    const metrics = await this.device.step(this.stepData(step));
    this.step = step;
    const seconds = (performance.now() - started) / 1000;
    const rate = batchSize / seconds;
    // Smoothed so the ETA does not jitter; the first steps (kernel warm-up) are quickly forgotten.
    this.imagesPerSec = this.imagesPerSec === 0 ? rate : 0.9 * this.imagesPerSec + 0.1 * rate;
    return {
      step,
      epoch: step / this.stepsPerEpoch,
      ...metrics,
      imagesPerSec: this.imagesPerSec,
      backend: this.backend.active,
      time: Date.now(),
    };
  }

  /** Renders the fixed-noise grid for the current step and tells `hooks` about it. */
  async saveSampleGrid(hooks: TrainerHooks): Promise<void> {
    const file = this.project.files.sample(this.step);
    const { z, labels } = fixedGridInputs(this.config);
    await writeFixedGrid(await this.device.generate(z, labels), this.config, file);
    hooks.onSample?.({ step: this.step, epoch: this.step / this.stepsPerEpoch, file });
  }

  async saveCheckpoint(keep: Iterable<number> = []): Promise<void> {
    const { tensors, adamSteps } = await this.device.snapshot();
    this.project.writeCheckpoint(
      {
        step: this.step,
        epoch: this.step / this.stepsPerEpoch,
        createdAt: new Date().toISOString(),
        adamSteps,
        // Resuming with another worker count continues correctly but not bit-identically: recorded to say so.
        ...(this.device.workers !== undefined && { workers: this.device.workers }),
      },
      tensors,
      keep,
    );
  }

  /** The absolute step the current run stops at (Infinity: until stopped). */
  targetStep = Number.POSITIVE_INFINITY;

  status(state: TrainingStatus['state'], message?: string): TrainingStatus {
    const { targetStep } = this;
    const remaining = Number.isFinite(targetStep) ? targetStep - this.step : null;
    const eta = remaining !== null && this.imagesPerSec > 0 ? (remaining * this.config.train.batchSize) / this.imagesPerSec : null;
    return {
      dir: this.dir,
      state,
      step: this.step,
      epoch: this.step / this.stepsPerEpoch,
      targetStep: Number.isFinite(targetStep) ? targetStep : 0,
      backend: this.backend,
      ...(this.device.workers !== undefined && { workers: this.device.workers }),
      imagesPerSec: this.imagesPerSec,
      etaSeconds: eta,
      message,
    };
  }

  /**
   * Trains until the target step or a stop request; always ends with a checkpoint and a grid
   * at the final step, so "stop" never loses work.
   */
  async run(target: TrainTarget, control: TrainerControl, hooks: TrainerHooks = {}): Promise<TrainingStatus> {
    const targetStep = (this.targetStep = this.resolveTarget(target));
    const { logEvery, sampleEvery, checkpointEvery, checkpointMinutes } = this.config.train;
    const now = control.now ?? Date.now;
    let lastCheckpoint = this.step;
    let lastCheckpointAt = now();
    let lastGrid = -1;
    const checkpoint = async () => {
      await this.saveCheckpoint(hooks.keepCheckpoints?.());
      lastCheckpoint = this.step;
      lastCheckpointAt = now();
      hooks.onCheckpoint?.(this.step);
    };
    // Every `checkpointEvery` steps or `checkpointMinutes` of training, whichever comes first: on a
    // slow machine a crash then costs minutes, not the hour a fixed step count can take.
    const checkpointDue = () =>
      this.step % checkpointEvery === 0 || (checkpointMinutes > 0 && now() - lastCheckpointAt >= checkpointMinutes * 60_000);
    if (this.step === 0) {
      await this.saveSampleGrid(hooks); // step 0: what untrained G draws
      lastGrid = 0;
    }
    hooks.onStatus?.(this.status('running'));
    let lost: string | null = null;
    void this.device.lost?.then((why) => (lost = why));
    try {
      while (this.step < targetStep && !control.stopRequested() && lost === null) {
        // A paused run may be left paused for hours, or the app closed: save before waiting.
        if (control.pauseRequested?.() && lastCheckpoint !== this.step) await checkpoint();
        await control.whilePaused();
        if (control.stopRequested()) break;
        const row = await this.runStep();
        if (this.step % logEvery === 0 || this.step === targetStep) {
          appendMetrics(this.project.files.metrics, [row]);
          hooks.onMetrics?.([row]);
          hooks.onStatus?.(this.status('running'));
        }
        if (this.step % sampleEvery === 0 || this.step % this.stepsPerEpoch === 0) {
          await this.saveSampleGrid(hooks);
          lastGrid = this.step;
        }
        if (checkpointDue()) await checkpoint();
        // Let IPC messages (pause, stop, status queries) in between steps.
        await new Promise((resolve) => setImmediate(resolve));
        await hooks.betweenSteps?.();
      }
      if (lost !== null) return this.endLost(lost, lastCheckpoint, hooks);
      if (lastGrid !== this.step) await this.saveSampleGrid(hooks);
      if (lastCheckpoint !== this.step) await checkpoint();
    } catch (error) {
      // A step, a grid or a snapshot that the device could not answer because it went away.
      if (error instanceof DeviceLostError) return this.endLost(error.why, lastCheckpoint, hooks);
      throw error;
    }
    const final = this.status(this.step >= targetStep ? 'finished' : 'idle');
    hooks.onStatus?.(final);
    return final;
  }

  /**
   * The device went with the networks on it (a lost GPU, a closed compute window): what it
   * trained since the last checkpoint cannot be saved, so the run ends there, its later history
   * moved aside as after a crash.
   */
  private endLost(why: string, lastCheckpoint: number, hooks: TrainerHooks): TrainingStatus {
    const reached = this.step;
    this.project.rollbackTo(lastCheckpoint);
    this.step = lastCheckpoint;
    const lostSteps = reached - lastCheckpoint;
    const final = this.status(
      'idle',
      `The ${this.backend.active} device was lost (${why}); the run ended at its last checkpoint, step ${lastCheckpoint}` +
        (lostSteps > 0 ? ` (${lostSteps} later ${lostSteps === 1 ? 'step was' : 'steps were'} not saved)` : ''),
    );
    hooks.onStatus?.(final);
    return final;
  }

  dispose(): void {
    this.device.dispose();
    this.data.close();
  }
}
