/**
 * A new project around a model trained elsewhere: the files read and converted (import-model.ts),
 * the weights written as the project's step-0 checkpoint (Project loads a step-0 file when there
 * is one), an optional dataset imported for further training, project.json written last so a
 * failed import leaves no half project.
 */
import path from 'node:path';
import type { ApiArgs } from '../../shared/contract';
import { GanvasError, invalid } from '../../shared/errors';
import type { DatasetInfo, ImportReport, ProjectConfig, TrainHyper } from '../../shared/types';
import { prepareDataset } from '../data/prepare';
import type { ProgressCallback } from '../data/progress';
import { writeJsonAtomic } from '../project/atomic';
import { writeCheckpoint } from '../project/checkpoints';
import { DEFAULT_HYPER, newProjectFolder } from '../project/create';
import { Project } from '../project/project';
import { PROJECT_SCHEMA_VERSION } from '../project/schema';
import { loadImportSource } from './files';
import { importModel, type ImportedModel, type ImportSource } from './import-model';
import { importedCheckpointTensors } from './to-checkpoint';

export interface ImportProjectOptions extends ApiArgs<'importModel'> {
  /** A step of the import ("Reading netG.pth"), then the dataset's images. */
  onStage?: (stage: string) => void;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** The reader and converter throw plain one-line Errors about the files: the request is what is wrong. */
function asInvalid<T>(field: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof GanvasError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new GanvasError('invalid', message, field, message);
  }
}

function readSource(field: 'generator' | 'discriminator', file: string, opts: ImportProjectOptions): ImportSource {
  opts.onStage?.(`Reading ${path.basename(file)}`);
  return asInvalid(field, () => loadImportSource(file));
}

/** Class names of an imported conditional model without a dataset: its label indices. */
const indexClasses = (n: number) => Array.from({ length: n }, (_, i) => String(i));

async function importDataset(
  imported: ImportedModel,
  opts: ImportProjectOptions,
  outFile: string,
  batchSize: number,
): Promise<{ info: DatasetInfo; report?: ImportReport }> {
  const { model } = imported;
  if (!opts.dataset) {
    const classes = indexClasses(model.numClasses);
    return { info: { source: { kind: 'none' }, count: 0, size: model.size, channels: model.channels, classes } };
  }
  opts.onStage?.('Importing the dataset');
  const prepared = await prepareDataset(opts.dataset, {
    size: model.size,
    channels: model.channels,
    outFile,
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  const classes = prepared.info.classes.length;
  if (model.numClasses > 0 && classes !== model.numClasses) {
    throw invalid(`The imported generator is conditional on ${model.numClasses} classes; the dataset has ${classes || 'no'} classes`);
  }
  if (prepared.info.count < batchSize) {
    throw invalid(
      `The dataset has ${prepared.info.count} images, fewer than one batch of ${batchSize}: lower the batch size or add images`,
    );
  }
  return prepared;
}

/** Reads, converts and writes; resolves to the opened project. Needs a tfjs backend (the D it may seed). */
export async function createImportedProject(opts: ImportProjectOptions): Promise<Project> {
  const { dir, files } = newProjectFolder(opts.dir);
  const generator = readSource('generator', opts.generator, opts);
  const discriminator = opts.discriminator ? readSource('discriminator', opts.discriminator, opts) : undefined;
  opts.onStage?.('Converting the weights');
  const imported = asInvalid('generator', () =>
    importModel({ generator, discriminator, arch: opts.arch, zDim: opts.zDim, sampling: opts.sampling }),
  );
  const hyper: TrainHyper = {
    ...DEFAULT_HYPER,
    ...imported.train,
    ...(opts.seed !== undefined && { seed: opts.seed }),
    ...(opts.batchSize !== undefined && { batchSize: opts.batchSize }),
  };
  const { info, report } = await importDataset(imported, opts, files.dataset, hyper.batchSize);
  opts.onStage?.('Writing the project');
  const tensors = importedCheckpointTensors(imported, hyper);
  const now = new Date().toISOString();
  writeCheckpoint(dir, { step: 0, epoch: 0, createdAt: now, adamSteps: { G: 0, D: 0 } }, tensors);
  if (report) writeJsonAtomic(files.importReport, report);
  const config: ProjectConfig = {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: opts.name?.trim() || path.basename(dir),
    createdAt: now,
    model: imported.model,
    train: hyper,
    dataset: info,
    imported: {
      family: imported.family,
      label: imported.label,
      generator: generator.name,
      ...(discriminator && { discriminator: discriminator.name }),
      sampling: imported.sampling,
      notes: imported.notes,
      importedAt: now,
    },
  };
  return Project.write(dir, config);
}
