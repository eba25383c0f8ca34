/**
 * A project is a folder:
 *   project.json      versioned config (schema.ts)
 *   dataset.bin       the dataset cache, decoded once at creation (data/cache.ts)
 *   import-report.json  files skipped by a folder import, and why
 *   checkpoints/      rolling set of step-XXXXXXXX.ckpt
 *   metrics.jsonl     one row per logged step
 *   samples/          fixed-noise grid per sampleEvery steps, step-XXXXXXXX.png
 *   rolled-back/      what a rollback moved aside (nothing is deleted by a rollback)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiInput } from '../../shared/contract';
import type { ImportReport, ProjectConfig, ProjectSummary, SampleGridInfo, TrainHyper } from '../../shared/types';
import { discriminatorSummary, generatorSummary, defaultModelConfig, validateModelConfig, withArchitecture } from '../models/architecture';
import { prepareDataset } from '../data/prepare';
import { writeJsonAtomic } from './atomic';
import { CHECKPOINT_DIR, checkpointFile, checkpointSteps, listCheckpoints } from './checkpoints';
import { METRICS_FILE, truncateMetrics } from './metrics';
import { parseProjectConfig, PROJECT_FILE, PROJECT_SCHEMA_VERSION } from './schema';

export const DATASET_FILE = 'dataset.bin';
export const SAMPLES_DIR = 'samples';
const REPORT_FILE = 'import-report.json';

export const DEFAULT_HYPER: TrainHyper = {
  learningRate: 2e-4, // paper Sec. 4
  beta1: 0.5, // paper Sec. 4: 0.9 oscillated and was unstable
  beta2: 0.999,
  batchSize: 64,
  logEvery: 5,
  sampleEvery: 100,
  checkpointEvery: 200,
  keepLast: 5,
  keepEvery: 5,
  seed: 1,
};

export type CreateProjectOptions = ApiInput<'createProject'> & {
  onProgress?: (done: number, total: number, file?: string) => void;
  signal?: AbortSignal;
  hyper?: Partial<TrainHyper>;
};

export function loadProjectConfig(dir: string): ProjectConfig {
  const file = path.join(dir, PROJECT_FILE);
  if (!fs.existsSync(dir)) throw new Error(`Project folder ${dir} does not exist`);
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a Ganvas project (no ${PROJECT_FILE})`);
  return parseProjectConfig(fs.readFileSync(file, 'utf8'), file);
}

export function saveProjectConfig(dir: string, config: ProjectConfig): void {
  writeJsonAtomic(path.join(dir, PROJECT_FILE), config);
}

/** Creates the folder, imports the dataset into its cache, writes project.json last (so a failed import leaves no half project). */
export async function createProject(opts: CreateProjectOptions): Promise<ProjectSummary> {
  const dir = path.resolve(opts.dir);
  if (fs.existsSync(path.join(dir, PROJECT_FILE))) throw new Error(`${dir} already holds a Ganvas project`);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new Error(`${dir} exists and is not a folder`);
  const isBuiltin = opts.dataset.kind !== 'folder';
  const model = defaultModelConfig({
    size: opts.size ?? (isBuiltin ? 28 : 64),
    channels: opts.channels ?? (isBuiltin ? 1 : 3),
    zDim: opts.zDim ?? 100,
    ngf: opts.ngf ?? 64,
    ndf: opts.ndf ?? 64,
    latent: opts.latent ?? 'normal',
  });
  validateModelConfig(model);
  const hyper: TrainHyper = {
    ...DEFAULT_HYPER,
    ...opts.hyper,
    ...(opts.learningRate !== undefined && { learningRate: opts.learningRate }),
    ...(opts.beta1 !== undefined && { beta1: opts.beta1 }),
    ...(opts.batchSize !== undefined && { batchSize: opts.batchSize }),
    ...(opts.seed !== undefined && { seed: opts.seed }),
  };
  fs.mkdirSync(dir, { recursive: true });
  const { info, report } = await prepareDataset(opts.dataset, {
    size: model.size,
    channels: model.channels,
    outFile: path.join(dir, DATASET_FILE),
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  if (opts.conditional) {
    if (info.classes.length < 2) {
      throw new Error('A conditional model needs labelled data: use MNIST, Fashion-MNIST or a folder with one sub-folder per class');
    }
    model.numClasses = info.classes.length;
  }
  if (info.count < hyper.batchSize) {
    throw new Error(`The dataset has ${info.count} images, fewer than one batch of ${hyper.batchSize}: lower the batch size or add images`);
  }
  if (report) writeJsonAtomic(path.join(dir, REPORT_FILE), report);
  const config: ProjectConfig = {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: opts.name?.trim() || path.basename(dir),
    createdAt: new Date().toISOString(),
    model: withArchitecture(model), // new projects store G and D layer by layer
    train: hyper,
    dataset: info,
  };
  saveProjectConfig(dir, config);
  return projectSummary(dir);
}

export const stepsPerEpoch = (config: ProjectConfig) => Math.max(1, Math.floor(config.dataset.count / config.train.batchSize));

export const sampleFile = (dir: string, step: number) => path.join(dir, SAMPLES_DIR, `step-${String(step).padStart(8, '0')}.png`);

export function listSampleGrids(dir: string, config: ProjectConfig): SampleGridInfo[] {
  const folder = path.join(dir, SAMPLES_DIR);
  if (!fs.existsSync(folder)) return [];
  const perEpoch = stepsPerEpoch(config);
  return fs
    .readdirSync(folder)
    .map((f) => /^step-(\d+)\.png$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .map((step) => ({ step, epoch: step / perEpoch, file: sampleFile(dir, step) }));
}

export function projectSummary(dir: string): ProjectSummary {
  dir = path.resolve(dir);
  const config = loadProjectConfig(dir);
  const checkpoints = listCheckpoints(dir, config.train.checkpointEvery, config.train.keepEvery);
  const latest = checkpoints.at(-1);
  const reportFile = path.join(dir, REPORT_FILE);
  const importReport = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ImportReport) : undefined;
  return {
    dir,
    config,
    generator: generatorSummary(config.model),
    discriminator: discriminatorSummary(config.model),
    checkpoints,
    samples: listSampleGrids(dir, config),
    step: latest?.step ?? 0,
    epoch: latest?.epoch ?? 0,
    stepsPerEpoch: stepsPerEpoch(config),
    importReport,
  };
}

/**
 * Brings the project's history back to `step`: later checkpoints, grids and metric rows are
 * MOVED into rolled-back/<time>/ (undo = move them back), and the next `train` resumes from `step`.
 * With `step` = latest checkpoint this is the clean-up a resume does after a crash.
 */
export function rollbackTo(dir: string, step: number, opts: { keepAside?: boolean } = {}): void {
  const config = loadProjectConfig(dir);
  if (step > 0 && !fs.existsSync(checkpointFile(dir, step))) throw new Error(`There is no checkpoint at step ${step}`);
  const aside = path.join(dir, 'rolled-back', new Date().toISOString().replace(/[:.]/g, '-'));
  const moveAside = (file: string, sub: string) => {
    if (opts.keepAside === false) return fs.rmSync(file, { force: true });
    fs.mkdirSync(path.join(aside, sub), { recursive: true });
    fs.renameSync(file, path.join(aside, sub, path.basename(file)));
  };
  for (const s of checkpointSteps(dir)) if (s > step) moveAside(checkpointFile(dir, s), CHECKPOINT_DIR);
  for (const g of listSampleGrids(dir, config)) if (g.step > step) moveAside(g.file, SAMPLES_DIR);
  const dropped = truncateMetrics(dir, step);
  if (dropped.length && opts.keepAside !== false) {
    fs.mkdirSync(aside, { recursive: true });
    fs.writeFileSync(path.join(aside, METRICS_FILE), dropped.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
}
