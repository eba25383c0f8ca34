/** Projects, training and sampling. */
import { z } from 'zod';
import { MAX_EMA_DECAY, MAX_TRAINING_WORKERS } from '../limits';
import type { BackendReport } from '../types/backend';
import { FAKE_LABEL_SCHEMES } from '../types/import';
import type { ArchitectureOptions } from '../types/architecture';
import type { PresetInfo } from '../types/model';
import type { BuiltinDataset, CheckpointInfo, DatasetStats, ProjectSummary, RecentProject, SampleGridInfo } from '../types/project';
import type { MetricRow, TrainingStatus, TrainTarget } from '../types/training';
import type { SampleBatch } from '../types/latent';
import { backendChoice, classIndex, dir, pathString, seed, step, text, type Same } from './common';
import { inWorker, onEngine } from './method';

export const imageSize = z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128)]);
/** A folder import's centre crop in pixels (the book's crop_centre(img, 128, 128)). */
export const cropSize = z.number().int().min(8).max(16384);

export const datasetSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
  z.object({ kind: z.literal('folder'), path: pathString('pick an image folder'), crop: cropSize.optional() }),
]);

/** The architecture switches the DCGAN sources discuss (ArchitectureOptions). */
export const architectureOptionsSchema = z.object({
  convBias: z.boolean().optional(),
  gBatchNorm: z.boolean().optional(),
  dBatchNorm: z.boolean().optional(),
  dGlobalPool: z.boolean().optional(),
});

export const createProjectSchema = z.object({
  dir,
  name: text(200).optional(),
  dataset: datasetSourceSchema,
  /** A preset id (`presets`): its architecture and its source's training settings, under the fields below. */
  preset: text(64).optional(),
  architecture: architectureOptionsSchema.optional(),
  /** Conditional models: fakes labelled with the real batch's labels (default) or random ones (the book's CGAN). */
  fakeLabels: z.enum(FAKE_LABEL_SCHEMES).optional(),
  size: imageSize.optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  zDim: z.number().int().min(2).max(1024).optional(),
  ngf: z.number().int().min(4).max(512).optional(),
  ndf: z.number().int().min(4).max(512).optional(),
  conditional: z.boolean().optional(),
  latent: z.enum(['normal', 'uniform']).optional(),
  learningRate: z.number().positive().max(1).optional(),
  beta1: z.number().min(0).max(0.999).optional(),
  /** Keep a moving average of G's weights with this decay and sample from it (0: off; engine/train/ema.ts). */
  emaDecay: z.number().min(0).max(MAX_EMA_DECAY).optional(),
  batchSize: z.number().int().min(1).max(1024).optional(),
  seed: seed.optional(),
  /** Render the fixed-noise grid every N steps (and at each epoch end). */
  sampleEvery: z.number().int().min(1).max(1_000_000).optional(),
  /** Checkpoint every N steps or every `checkpointMinutes` of training, whichever comes first. */
  checkpointEvery: z.number().int().min(1).max(1_000_000).optional(),
  checkpointMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .optional(),
  /** Rolling checkpoints: keep the newest K, plus every Nth forever (0: none). */
  keepLast: z.number().int().min(1).max(1000).optional(),
  keepEvery: z.number().int().min(0).max(1_000_000).optional(),
});

/**
 * How long to train. `untilStep` and `moreSteps` are the two meanings of "steps", named apart:
 * the app's "train to step N" and the CLI's `--steps N` (N more). No field: until stopped.
 */
export const trainTargetSchema = z.object({
  /** Stop when the project has trained this many steps in all. */
  untilStep: z.number().int().positive().optional(),
  /** Or: this many steps more than the project has now. */
  moreSteps: z.number().int().positive().optional(),
  /** Or: this many more epochs. */
  epochs: z.number().positive().max(1e6).optional(),
});

/** One target per run: the two meanings of "steps" and epochs are alternatives, never summed or ranked. */
export const startTrainingSchema = trainTargetSchema
  .extend({
    dir,
    backend: backendChoice.optional(),
    /** Data-parallel workers on the wasm/cpu backends: 1 = one thread; absent = automatic (physical cores). */
    workers: z.number().int().min(1).max(MAX_TRAINING_WORKERS).optional(),
  })
  .refine((t) => [t.untilStep, t.moreSteps, t.epochs].filter((v) => v !== undefined).length <= 1, {
    message: 'give one of untilStep, moreSteps or epochs',
    path: ['untilStep'],
  });

export const coreContract = {
  /** Trivial round trip: used to measure UI responsiveness while training. */
  ping: onEngine<{ t: number }>()(z.object({ t: z.number() })),
  /** Which backend the compute workers run on, and why the better ones were skipped. */
  backends: inWorker<BackendReport>()(z.object({ backend: backendChoice.optional() })),
  presets: onEngine<PresetInfo[]>()(z.object({})),
  builtinDatasets: onEngine<BuiltinDataset[]>()(z.object({})),
  recentProjects: onEngine<RecentProject[]>()(z.object({})),
  /** Imports the dataset (progress as 'import.progress') in a worker of its own. */
  createProject: inWorker<ProjectSummary>()(createProjectSchema, { project: 'create', paths: { 'dataset.path': 'read' } }),
  openProject: onEngine<ProjectSummary>()(z.object({ dir })),
  /** Image and class counts and the mean pixel of the project's dataset (scans the cache once). */
  datasetStats: onEngine<DatasetStats>()(z.object({ dir })),
  startTraining: onEngine<TrainingStatus>()(startTrainingSchema),
  pauseTraining: onEngine<TrainingStatus>()(z.object({ dir })),
  resumeTraining: onEngine<TrainingStatus>()(z.object({ dir })),
  stopTraining: onEngine<TrainingStatus>()(z.object({ dir })),
  trainingStatus: onEngine<TrainingStatus>()(z.object({ dir })),
  metrics: onEngine<MetricRow[]>()(z.object({ dir, sinceStep: step.optional() })),
  checkpoints: onEngine<CheckpointInfo[]>()(z.object({ dir })),
  /** Make the given checkpoint the newest: later checkpoints, metrics and grids are moved aside. */
  rollback: onEngine<ProjectSummary>()(z.object({ dir, step })),
  sampleGrids: onEngine<SampleGridInfo[]>()(z.object({ dir })),
  /** PNG of a saved fixed-noise grid, base64. */
  sampleGridImage: onEngine<string>()(z.object({ dir, step })),
  generate: inWorker<SampleBatch>()(z.object({ dir, count: z.number().int().min(1).max(256), seed, classIndex: classIndex.optional() })),
} as const;

export const coreSchemaChecks: [
  Same<z.output<typeof trainTargetSchema>, TrainTarget>,
  Same<z.output<typeof architectureOptionsSchema>, ArchitectureOptions>,
] = [true, true];
