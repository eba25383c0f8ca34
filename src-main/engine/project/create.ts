/** Creating a project: the folder, the dataset imported into its cache, then project.json. */
import fs from 'node:fs';
import path from 'node:path';
import type { ApiArgs } from '../../shared/contract';
import type { ModelConfig, ProjectConfig, TrainHyper } from '../../shared/types';
import { busy, GanvasError, invalid, refused } from '../../shared/errors';
import { DEFAULT_CADENCE } from '../../shared/limits';
import { checkDataset } from '../data/checks';
import { prepareDataset } from '../data/prepare';
import { ALL_PRESETS, architectureFor, defaultModelConfig, validateModelConfig } from '../models/architecture';
import type { ArchitectureFamily, Preset } from '../models/presets';
import { writeJsonAtomic } from './atomic';
import { ProjectFiles } from './layout';
import { Project } from './project';
import { PROJECT_SCHEMA_VERSION } from './schema';

export const DEFAULT_HYPER: TrainHyper = {
  learningRate: 2e-4, // paper Sec. 4
  beta1: 0.5, // paper Sec. 4: 0.9 oscillated and was unstable
  beta2: 0.999,
  batchSize: 64,
  logEvery: 5,
  ...DEFAULT_CADENCE,
  seed: 1,
};

export type CreateProjectOptions = ApiArgs<'createProject'> & {
  onProgress?: (done: number, total: number, file?: string) => void;
  signal?: AbortSignal;
  hyper?: Partial<TrainHyper>;
};

/** The fields of `opts` named in `keys` that are set. */
function pickDefined<T extends object, K extends keyof T>(opts: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => opts[k] !== undefined).map((k) => [k, opts[k]])) as Partial<Pick<T, K>>;
}

/** Where a new project goes: refused when it already holds one or is a file. */
export function newProjectFolder(folder: string): { dir: string; files: ProjectFiles } {
  const dir = path.resolve(folder);
  const files = new ProjectFiles(dir);
  if (fs.existsSync(files.config)) throw busy(`${dir} already holds a Ganvas project`);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw refused(`${dir} exists and is not a folder`);
  return { dir, files };
}

function findPreset(id: string | undefined): Preset | undefined {
  if (id === undefined) return undefined;
  const preset = ALL_PRESETS.find((p) => p.id === id);
  const ids = ALL_PRESETS.map((p) => p.id).join(', ');
  if (!preset) throw new GanvasError('invalid', `Unknown preset '${id}': use ${ids}`, 'preset', `unknown preset '${id}' (use ${ids})`);
  return preset;
}

/** The model a request asks for: the preset's (or the paper net's) shape under the request's own fields. */
function requestedModel(opts: CreateProjectOptions, preset: Preset | undefined): ModelConfig {
  const isBuiltin = opts.dataset.kind !== 'folder';
  const base = preset?.model;
  return defaultModelConfig({
    size: opts.size ?? base?.size ?? (isBuiltin ? 28 : 64),
    channels: opts.channels ?? base?.channels ?? (isBuiltin ? 1 : 3),
    zDim: opts.zDim ?? base?.zDim ?? 100,
    ngf: opts.ngf ?? base?.ngf ?? 64,
    ndf: opts.ndf ?? base?.ndf ?? 64,
    latent: opts.latent ?? base?.latent ?? 'normal',
  });
}

/** Creates the folder, imports the dataset into its cache, writes project.json last (so a failed import leaves no half project). */
export async function createProject(opts: CreateProjectOptions): Promise<Project> {
  const { dir, files } = newProjectFolder(opts.dir);
  const preset = findPreset(opts.preset);
  const family = (preset?.model.arch?.family ?? 'paper') as ArchitectureFamily;
  const model = requestedModel(opts, preset);
  // Checked before the (slow) import with the classes it may add; rebuilt once they are known.
  const withArch = (m: ModelConfig): ModelConfig => {
    const full = { ...m, arch: architectureFor(family, m, opts.architecture) };
    try {
      validateModelConfig(full);
    } catch (err) {
      throw invalid(err instanceof Error ? err.message : String(err));
    }
    return full;
  };
  withArch(model);
  const hyper: TrainHyper = {
    ...DEFAULT_HYPER,
    ...preset?.train,
    ...opts.hyper,
    ...(opts.learningRate !== undefined && { learningRate: opts.learningRate }),
    ...(opts.beta1 !== undefined && { beta1: opts.beta1 }),
    ...(opts.emaDecay !== undefined && { emaDecay: opts.emaDecay }),
    ...(opts.batchSize !== undefined && { batchSize: opts.batchSize }),
    ...(opts.seed !== undefined && { seed: opts.seed }),
    ...(opts.fakeLabels !== undefined && { fakeLabels: opts.fakeLabels }),
    ...pickDefined(opts, ['sampleEvery', 'checkpointEvery', 'checkpointMinutes', 'keepLast', 'keepEvery']),
  };
  fs.mkdirSync(dir, { recursive: true });
  const { info, report, probes } = await prepareDataset(opts.dataset, {
    size: model.size,
    channels: model.channels,
    outFile: files.dataset,
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  if (opts.conditional) {
    if (info.classes.length < 2) {
      throw invalid('A conditional model needs labelled data: use MNIST, Fashion-MNIST or a folder with one sub-folder per class');
    }
    model.numClasses = info.classes.length;
  }
  if (info.count < hyper.batchSize) {
    throw invalid(`The dataset has ${info.count} images, fewer than one batch of ${hyper.batchSize}: lower the batch size or add images`);
  }
  if (report) writeJsonAtomic(files.importReport, report);
  // The data check of what was imported (count, duplicates, odd sizes, colour mix), kept with the project.
  if (probes) writeJsonAtomic(files.dataCheck, checkDataset(probes, { size: model.size, channels: model.channels, ngf: model.ngf }));
  const config: ProjectConfig = {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: opts.name?.trim() || path.basename(dir),
    createdAt: new Date().toISOString(),
    model: withArch(model), // new projects store G and D layer by layer (model.arch)
    train: hyper,
    dataset: info,
  };
  return Project.write(dir, config);
}
