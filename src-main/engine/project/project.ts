/**
 * A Ganvas project, opened once per call: its folder, its parsed config, where its files are
 * (layout.ts), and the only way to load its networks (`ganAt`). Feature code takes a Project,
 * never a folder string; the folder's layout is described in layout.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CheckpointInfo, ImportReport, MetricRow, ProjectConfig, ProjectSummary, SampleGridInfo } from '../../shared/types';
import { notFound } from '../../shared/errors';
import { openDatasetCache, type DatasetCache, type OpenCacheOptions } from '../data/cache';
import { discriminatorSummary, generatorSummary } from '../models/architecture';
import { disposeNetworks } from '../models/gan';
import { writeFileAtomic, writeJsonAtomic } from './atomic';
import {
  checkpointSteps,
  isPinned,
  listCheckpoints,
  pruneCheckpoints,
  readCheckpoint,
  writeCheckpoint,
  type Checkpoint,
  type CheckpointHeader,
  type TensorRecord,
} from './checkpoints';
import { ProjectFiles, stepOfFile } from './layout';
import { readMetrics, truncateMetrics } from './metrics';
import { cachedNetworks, loadNetworks, type GanAt } from './models';
import { parseProjectConfig } from './schema';

export class Project {
  readonly files: ProjectFiles;

  private constructor(
    readonly dir: string,
    readonly config: ProjectConfig,
  ) {
    this.files = new ProjectFiles(dir);
  }

  /** Opens the project in `dir` (resolved against the working folder); a clear error when it is not one. */
  static open(dir: string): Project {
    const abs = path.resolve(dir);
    const files = new ProjectFiles(abs);
    if (!fs.existsSync(files.config)) throw notFound(`${abs} is not a Ganvas project (no ${path.basename(files.config)})`);
    return new Project(abs, parseProjectConfig(fs.readFileSync(files.config, 'utf8'), files.config));
  }

  /** Writes project.json for a new project (create.ts imports the data first). */
  static write(dir: string, config: ProjectConfig): Project {
    const project = new Project(path.resolve(dir), config);
    writeJsonAtomic(project.files.config, config);
    return project;
  }

  get name(): string {
    return this.config.name;
  }

  get stepsPerEpoch(): number {
    return Math.max(1, Math.floor(this.config.dataset.count / this.config.train.batchSize));
  }

  epochAt(step: number): number {
    return step / this.stepsPerEpoch;
  }

  /* ---- checkpoints and networks ---- */

  /** Steps of every checkpoint on disk, ascending. */
  checkpointSteps(): number[] {
    return checkpointSteps(this.dir);
  }

  /** The newest checkpoint's step; 0 when the project is untrained. */
  latestStep(): number {
    return this.checkpointSteps().at(-1) ?? 0;
  }

  checkpoints(): CheckpointInfo[] {
    const { checkpointEvery, keepEvery } = this.config.train;
    return listCheckpoints(this.dir, checkpointEvery, keepEvery);
  }

  isPinned(step: number): boolean {
    return isPinned(step, this.config.train.checkpointEvery, this.config.train.keepEvery);
  }

  /** The full training state at `step` (weights, BatchNorm statistics, Adam). */
  readCheckpoint(step: number): Checkpoint {
    if (!fs.existsSync(this.files.checkpoint(step))) {
      throw notFound(`There is no checkpoint at step ${step} (checkpoints: ${this.checkpointSteps().join(', ') || 'none'})`);
    }
    return readCheckpoint(this.dir, step);
  }

  /** Writes a checkpoint atomically, then applies the keep-last / keep-every-Nth rule. */
  writeCheckpoint(meta: Omit<CheckpointHeader, 'tensors' | 'version'>, tensors: TensorRecord[]): void {
    writeCheckpoint(this.dir, meta, tensors);
    const { keepLast, checkpointEvery, keepEvery } = this.config.train;
    pruneCheckpoints(this.dir, keepLast, checkpointEvery, keepEvery);
  }

  /**
   * G and D at `step` (default: the newest checkpoint; 0 = untrained), shared with later calls in
   * this process: sampling, walks, inspection. Do not dispose it.
   */
  ganAt(step = this.latestStep()): GanAt {
    // createdAt in the key: a folder deleted and re-created with another model is another project.
    return cachedNetworks(this.dir, `${this.config.createdAt}@${step}`, () => this.loadNetworks(step));
  }

  private loadNetworks(step: number, prefix = ''): GanAt {
    return loadNetworks(this.config, step, step > 0 ? this.readCheckpoint(step) : null, prefix);
  }

  /** G and D at `step` for the length of `fn`, then freed: evaluations over many checkpoints. */
  async withGanAt<T>(step: number, fn: (gan: GanAt) => Promise<T>, prefix = 'eval-'): Promise<T> {
    const gan = this.loadNetworks(step, prefix);
    try {
      return await fn(gan);
    } finally {
      disposeNetworks(gan);
    }
  }

  /* ---- data, metrics, grids ---- */

  openDataset(options?: OpenCacheOptions): DatasetCache {
    return openDatasetCache(this.files.dataset, options);
  }

  metrics(sinceStep = 0): MetricRow[] {
    return readMetrics(this.files.metrics, sinceStep);
  }

  sampleGrids(): SampleGridInfo[] {
    const folder = this.files.sampleDir;
    if (!fs.existsSync(folder)) return [];
    return fs
      .readdirSync(folder)
      .map((f) => stepOfFile(f, 'png'))
      .filter((s): s is number => s !== null)
      .sort((a, b) => a - b)
      .map((step) => ({ step, epoch: this.epochAt(step), file: this.files.sample(step) }));
  }

  /** PNG bytes of the fixed-noise grid saved at `step`. */
  sampleGridImage(step: number): Buffer {
    const file = this.files.sample(step);
    if (!fs.existsSync(file)) throw notFound(`No sample grid was saved at step ${step}`);
    return fs.readFileSync(file);
  }

  importReport(): ImportReport | undefined {
    const file = this.files.importReport;
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ImportReport) : undefined;
  }

  summary(): ProjectSummary {
    const checkpoints = this.checkpoints();
    const latest = checkpoints.at(-1);
    return {
      dir: this.dir,
      config: this.config,
      generator: generatorSummary(this.config.model),
      discriminator: discriminatorSummary(this.config.model),
      checkpoints,
      samples: this.sampleGrids(),
      step: latest?.step ?? 0,
      epoch: latest?.epoch ?? 0,
      stepsPerEpoch: this.stepsPerEpoch,
      importReport: this.importReport(),
    };
  }

  /**
   * Brings the project's history back to `step`: later checkpoints, grids and metric rows are
   * MOVED into rolled-back/<time>/ (undo = move them back), and the next run resumes from `step`.
   * With `step` = the newest checkpoint this is the clean-up a resume does after a crash.
   */
  rollbackTo(step: number): void {
    if (step > 0 && !fs.existsSync(this.files.checkpoint(step))) throw notFound(`There is no checkpoint at step ${step}`);
    const aside = this.files.rolledBack();
    const moveAside = (file: string, sub: string) => {
      fs.mkdirSync(path.join(aside, sub), { recursive: true });
      fs.renameSync(file, path.join(aside, sub, path.basename(file)));
    };
    for (const s of this.checkpointSteps()) if (s > step) moveAside(this.files.checkpoint(s), path.basename(this.files.checkpointDir));
    for (const g of this.sampleGrids()) if (g.step > step) moveAside(g.file, path.basename(this.files.sampleDir));
    const dropped = truncateMetrics(this.files.metrics, step);
    if (dropped.length) {
      fs.mkdirSync(aside, { recursive: true });
      writeFileAtomic(path.join(aside, path.basename(this.files.metrics)), dropped.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
  }
}
