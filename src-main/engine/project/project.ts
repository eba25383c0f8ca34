/**
 * A Ganvas project, opened once per call: its folder, its parsed config, where its files are
 * (layout.ts), and the only way to load its networks (`ganAt`). Feature code takes a Project,
 * never a folder string; the folder's layout is described in layout.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
  CheckpointInfo,
  ImportReport,
  MetricRow,
  ProjectConfig,
  ProjectNotice,
  ProjectSummary,
  SampleGridInfo,
} from '../../shared/types';
import { damaged, errorCode, notFound } from '../../shared/errors';
import { openDatasetCache, readCacheHeader, type DatasetCache, type OpenCacheOptions } from '../data/cache';
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
import { cachedNetworks, loadNetworks, peekNetworks, type GanAt } from './models';
import { appendNotice, readNotices } from './notices';
import { parseProjectConfig } from './schema';

export class Project {
  readonly files: ProjectFiles;

  private constructor(
    readonly dir: string,
    readonly config: ProjectConfig,
  ) {
    this.files = new ProjectFiles(dir);
  }

  /** Notices raised while this object was in use (the dispatcher reports them as 'project.notice' events). */
  readonly raised: ProjectNotice[] = [];

  /**
   * Opens the project in `dir` (resolved against the working folder): project.json parsed within
   * the same limits createProject accepts, and checked against its dataset's header.
   */
  static open(dir: string): Project {
    const abs = path.resolve(dir);
    const files = new ProjectFiles(abs);
    if (!fs.existsSync(abs)) throw notFound(`Project folder ${abs} does not exist`);
    if (!fs.existsSync(files.config)) throw notFound(`${abs} is not a Ganvas project (no ${path.basename(files.config)})`);
    const project = new Project(abs, parseProjectConfig(fs.readFileSync(files.config, 'utf8'), files.config));
    project.checkDataset();
    return project;
  }

  /** project.json and dataset.bin must describe the same images (a project without data, e.g. an imported model, has none). */
  private checkDataset(): void {
    if (!fs.existsSync(this.files.dataset)) return;
    let header;
    try {
      header = readCacheHeader(this.files.dataset);
    } catch (err) {
      throw damaged(err instanceof Error ? err.message : String(err));
    }
    const { dataset, model } = this.config;
    const mismatch =
      header.count !== dataset.count
        ? `${header.count} images, project.json says ${dataset.count}`
        : header.size !== model.size || header.channels !== model.channels
          ? `${header.size}x${header.size}x${header.channels} images, the model takes ${model.size}x${model.size}x${model.channels}`
          : header.classes.length !== dataset.classes.length
            ? `${header.classes.length} classes, project.json says ${dataset.classes.length}`
            : null;
    if (mismatch) throw damaged(`${path.basename(this.files.dataset)} does not match project.json: it holds ${mismatch}`);
  }

  /** Records a notice (persisted when it describes something done to the project's files). */
  notice(kind: ProjectNotice['kind'], message: string, persist = true): void {
    const n: ProjectNotice = { time: new Date().toISOString(), kind, message };
    this.raised.push(n);
    if (persist) appendNotice(this.files.notices, n);
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

  /**
   * The newest checkpoint that reads cleanly. A damaged one (torn, truncated, inconsistent) is
   * moved to rolled-back/ with a notice and the one before it is used: a crash or a bad disk
   * block costs one checkpoint interval, never the project.
   */
  newestGoodCheckpoint(): { step: number; checkpoint: Checkpoint | null } {
    for (const step of this.checkpointSteps().reverse()) {
      try {
        return { step, checkpoint: this.readCheckpoint(step) };
      } catch (err) {
        if (errorCode(err) !== 'damaged') throw err;
        this.setAside(step, err instanceof Error ? err.message : String(err));
      }
    }
    return { step: 0, checkpoint: null };
  }

  private setAside(step: number, why: string): void {
    const aside = path.join(this.files.rolledBack(), path.basename(this.files.checkpointDir));
    fs.mkdirSync(aside, { recursive: true });
    fs.renameSync(this.files.checkpoint(step), path.join(aside, path.basename(this.files.checkpoint(step))));
    this.notice(
      'damaged-checkpoint',
      `${why}. It was moved to ${path.relative(this.dir, aside)}; the previous checkpoint is used instead.`,
    );
  }

  /** The full training state at `step` (weights, BatchNorm statistics, Adam); 'damaged' when it cannot be trusted. */
  readCheckpoint(step: number): Checkpoint {
    if (!fs.existsSync(this.files.checkpoint(step))) {
      throw notFound(`There is no checkpoint at step ${step} (checkpoints: ${this.checkpointSteps().join(', ') || 'none'})`);
    }
    return readCheckpoint(this.dir, step);
  }

  /**
   * Writes a checkpoint atomically, then applies the keep-last / keep-every-Nth rule; steps in
   * `keep` (the best checkpoint) are never pruned.
   */
  writeCheckpoint(meta: Omit<CheckpointHeader, 'tensors' | 'version'>, tensors: TensorRecord[], keep: Iterable<number> = []): void {
    writeCheckpoint(this.dir, meta, tensors);
    const { keepLast, checkpointEvery, keepEvery } = this.config.train;
    pruneCheckpoints(this.dir, keepLast, checkpointEvery, keepEvery, new Set(keep));
  }

  /**
   * G and D at `step` (default: the newest checkpoint; 0 = untrained), shared with later calls in
   * this process: sampling, walks, inspection. Do not dispose it.
   */
  ganAt(step?: number): GanAt {
    // createdAt in the key: a folder deleted and re-created with another model is another project.
    const key = (s: number) => `${this.config.createdAt}@${s}`;
    if (step !== undefined) return cachedNetworks(this.dir, key(step), () => this.loadNetworks(step));
    const latest = this.latestStep();
    const cached = peekNetworks(this.dir, key(latest));
    if (cached) return cached;
    // Not loaded yet: take the newest checkpoint that reads cleanly (a damaged one is set aside).
    const good = this.newestGoodCheckpoint();
    return cachedNetworks(this.dir, key(good.step), () => loadNetworks(this.config, good.step, good.checkpoint));
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

  /** Files a folder import skipped; a torn report is ignored with a warning (it is only a record). */
  importReport(): ImportReport | undefined {
    const file = this.files.importReport;
    if (!fs.existsSync(file)) return undefined;
    try {
      const report = JSON.parse(fs.readFileSync(file, 'utf8')) as ImportReport;
      if (Array.isArray(report?.skipped)) return report;
    } catch {
      /* torn: reported below */
    }
    this.notice('torn-file', `${path.basename(file)} is damaged and was ignored (it only lists the files the import skipped)`, false);
    return undefined;
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
      notices: readNotices(this.files.notices),
    };
  }

  /**
   * Brings the project's history back to `step`: later checkpoints, grids, metric rows, health
   * events and health records are MOVED into rolled-back/<time>/ (undo = move them back), and
   * the next run resumes from `step`. With `step` = the newest checkpoint this is the clean-up a
   * resume does after a crash.
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
    // One line per step in both files: rows and events of metrics.jsonl, label-free records.
    for (const file of [this.files.metrics, this.files.healthRecords]) {
      const dropped = truncateMetrics(file, step);
      if (!dropped.length) continue;
      const to = path.join(aside, path.relative(this.dir, file));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      writeFileAtomic(to, dropped.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
  }
}
