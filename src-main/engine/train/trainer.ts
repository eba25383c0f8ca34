/**
 * The training loop over a project folder: resume from the newest checkpoint, stream batches
 * from the dataset cache, log metrics, render the fixed-noise grid, checkpoint, and stop cleanly.
 * Runs wherever it is called: in the worker process (app) or directly in the CLI process.
 */
import path from 'node:path';
import type { BackendReport, MetricRow, ProjectConfig, SampleGridInfo, TrainingStatus } from '../../shared/types';
import { tf } from '../backend/tf';
import { openDatasetCache, type DatasetCache } from '../data/cache';
import { buildGan, disposeGan, type Gan } from '../models/gan';
import { appendMetrics } from '../project/metrics';
import { checkpointSteps, pruneCheckpoints, readCheckpoint, writeCheckpoint } from '../project/checkpoints';
import { DATASET_FILE, loadProjectConfig, rollbackTo, sampleFile, stepsPerEpoch } from '../project/project';
import { renderFixedGrid } from '../sampling/sampler';
import { latentBatch, oneHot, randomLabels } from '../sampling/noise';
import { deriveSeed, permutation, Rng, Stream } from '../util/rng';
import { restoreGan, snapshotGan } from './state';
import { trainStep, type StepMetrics } from './step';

export interface TrainTarget {
  /** Absolute step to stop at. */
  steps?: number;
  /** Or: this many more epochs from where the project is. */
  epochs?: number;
}

export interface TrainerHooks {
  onStatus?(status: TrainingStatus): void;
  onMetrics?(rows: MetricRow[]): void;
  onSample?(grid: SampleGridInfo): void;
  onCheckpoint?(step: number): void;
}

export interface TrainerControl {
  /** Checked between steps: true makes the loop checkpoint and return. */
  stopRequested(): boolean;
  /** Resolves immediately unless paused; the loop awaits it between steps. */
  whilePaused(): Promise<void>;
}

export class Trainer {
  step = 0;
  private permEpoch = -1;
  private perm: Uint32Array = new Uint32Array(0);
  private imagesPerSec = 0;

  private constructor(
    readonly dir: string,
    readonly config: ProjectConfig,
    readonly gan: Gan,
    readonly data: DatasetCache,
    readonly backend: BackendReport,
  ) {}

  /** Loads the project and its newest checkpoint; history written after that checkpoint (a crash) is dropped. */
  static open(dir: string, backend: BackendReport): Trainer {
    const config = loadProjectConfig(dir);
    const data = openDatasetCache(path.join(dir, DATASET_FILE));
    const gan = buildGan(config.model, config.train);
    const trainer = new Trainer(dir, config, gan, data, backend);
    const latest = checkpointSteps(dir).at(-1) ?? 0;
    if (latest > 0) {
      const ckpt = readCheckpoint(dir, latest);
      restoreGan(gan, ckpt);
      trainer.step = ckpt.header.step;
    }
    rollbackTo(dir, trainer.step, { keepAside: false });
    return trainer;
  }

  get stepsPerEpoch(): number {
    return stepsPerEpoch(this.config);
  }

  resolveTarget(target: TrainTarget): number {
    if (target.steps !== undefined) return target.steps;
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

  /** Runs one step (1-based `this.step + 1`) and returns its metrics row. */
  runStep(): MetricRow {
    const started = performance.now();
    const step = this.step + 1;
    const { batchSize, seed } = this.config.train;
    const model = this.config.model;
    const batch = this.data.readBatch(this.batchIndices(step));
    const real = tf.tensor4d(batch.images, [batchSize, model.size, model.size, model.channels]);
    const onehot = model.numClasses > 0 ? oneHot(batch.labels, model.numClasses) : null;
    const fakeOnehot =
      onehot && this.config.train.fakeLabels === 'random'
        ? oneHot(randomLabels(batchSize, model.numClasses, deriveSeed(seed, Stream.fakeLabels, step)), model.numClasses)
        : onehot;
    const z = latentBatch(model, batchSize, deriveSeed(seed, Stream.noise, step));
    let metrics: StepMetrics;
    try {
      metrics = trainStep(this.gan, { real, onehot, fakeOnehot, z, dropoutSeed: deriveSeed(seed, Stream.dropout, step) });
    } finally {
      tf.dispose([real, z, ...(onehot ? [onehot] : []), ...(fakeOnehot && fakeOnehot !== onehot ? [fakeOnehot] : [])]);
    }
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
    const file = sampleFile(this.dir, this.step);
    await renderFixedGrid(this.gan, this.config, file);
    hooks.onSample?.({ step: this.step, epoch: this.step / this.stepsPerEpoch, file });
  }

  saveCheckpoint(): void {
    const { checkpointEvery, keepLast, keepEvery } = this.config.train;
    writeCheckpoint(
      this.dir,
      {
        step: this.step,
        epoch: this.step / this.stepsPerEpoch,
        createdAt: new Date().toISOString(),
        adamSteps: { G: this.gan.optG.step, D: this.gan.optD.step },
      },
      snapshotGan(this.gan),
    );
    pruneCheckpoints(this.dir, keepLast, checkpointEvery, keepEvery);
  }

  status(state: TrainingStatus['state'], targetStep: number, message?: string): TrainingStatus {
    const remaining = Number.isFinite(targetStep) ? targetStep - this.step : null;
    const eta =
      remaining !== null && this.imagesPerSec > 0 ? (remaining * this.config.train.batchSize) / this.imagesPerSec : null;
    return {
      dir: this.dir,
      state,
      step: this.step,
      epoch: this.step / this.stepsPerEpoch,
      targetStep: Number.isFinite(targetStep) ? targetStep : 0,
      backend: this.backend,
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
    const targetStep = this.resolveTarget(target);
    const { logEvery, sampleEvery, checkpointEvery } = this.config.train;
    let lastCheckpoint = this.step;
    let lastGrid = -1;
    if (this.step === 0) {
      await this.saveSampleGrid(hooks); // step 0: what untrained G draws
      lastGrid = 0;
    }
    hooks.onStatus?.(this.status('running', targetStep));
    while (this.step < targetStep && !control.stopRequested()) {
      await control.whilePaused();
      if (control.stopRequested()) break;
      const row = this.runStep();
      if (this.step % logEvery === 0 || this.step === targetStep) {
        appendMetrics(this.dir, [row]);
        hooks.onMetrics?.([row]);
        hooks.onStatus?.(this.status('running', targetStep));
      }
      if (this.step % sampleEvery === 0 || this.step % this.stepsPerEpoch === 0) {
        await this.saveSampleGrid(hooks);
        lastGrid = this.step;
      }
      if (this.step % checkpointEvery === 0) {
        this.saveCheckpoint();
        lastCheckpoint = this.step;
        hooks.onCheckpoint?.(this.step);
      }
      // Let IPC messages (pause, stop, status queries) in between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (lastGrid !== this.step) await this.saveSampleGrid(hooks);
    if (lastCheckpoint !== this.step) {
      this.saveCheckpoint();
      hooks.onCheckpoint?.(this.step);
    }
    const final = this.status(this.step >= targetStep ? 'finished' : 'idle', targetStep);
    hooks.onStatus?.(final);
    return final;
  }

  dispose(): void {
    disposeGan(this.gan);
    this.data.close();
  }
}
