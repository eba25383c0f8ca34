/**
 * THE typed API contract between the renderer and the engine.
 *
 * Every method takes one payload object, validated by its zod schema wherever it crosses a
 * process boundary (Electron's ipcMain, the e2e bridge), and resolves to the TS output type.
 * The Electron adapter (preload + ipcMain.handle) and the Node test bridge are both generated
 * from `apiContract`, so adding a method here is the only place a channel is declared.
 */
import { z } from 'zod';
import type {
  ArithResult,
  BackendReport,
  BuiltinDataset,
  CheckpointInfo,
  Concept,
  DirectionResult,
  ExportProgress,
  GallerySample,
  GalleryTile,
  ImportReport,
  MetricRow,
  PresetInfo,
  ProjectSummary,
  RecentProject,
  SampleBatch,
  SampleGridInfo,
  TrainingStatus,
  WalkExportResult,
  WalkPlan,
} from './types';
import type { EvalLogs, EvalProgress, FeatureEvalResult, MemorisationResult, QualityResult } from './eval-types';
import { featureEvalInputSchema, memorisationInputSchema, qualityInputSchema } from './eval-schemas';
import type { FeatureMaps, FilterImage, ForgetAnnotations, ForgetFit, ForgetRender, GuidedBackprop, InspectLayers, TopActivating } from './inspect-types';
import {
  filtersInputSchema,
  forgetAnnotationsSchema,
  forgetFitInputSchema,
  forgetRenderInputSchema,
  guidedInputSchema,
  inspectSourceSchema,
  topActivatingInputSchema,
} from './inspect-schemas';
import { arithComposeSchema, arithDirectionSchema, conceptMembersSchema, conceptNameSchema } from './arith-schemas';
import { gallerySaveSchema, MAX_RENDER_ROWS, renderRowSchema, walkExportSchema, walkSpecSchema } from './latent-schemas';

/** Declares a method: zod schema for the payload, phantom type for the result. */
const method =
  <Output>() =>
  <Input extends z.ZodType>(input: Input) => ({ input, output: undefined as unknown as Output });

const dir = z.string().min(1, 'a project folder is required');
const backendChoice = z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
const imageSize = z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128)]);

export const datasetSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
  z.object({ kind: z.literal('folder'), path: z.string().min(1, 'pick an image folder') }),
]);

export const createProjectSchema = z.object({
  dir,
  name: z.string().optional(),
  dataset: datasetSourceSchema,
  size: imageSize.optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  zDim: z.number().int().min(2).max(1024).optional(),
  ngf: z.number().int().min(4).max(512).optional(),
  ndf: z.number().int().min(4).max(512).optional(),
  conditional: z.boolean().optional(),
  latent: z.enum(['normal', 'uniform']).optional(),
  learningRate: z.number().positive().max(1).optional(),
  beta1: z.number().min(0).max(0.999).optional(),
  batchSize: z.number().int().min(2).max(1024).optional(),
  seed: z.number().int().min(0).optional(),
});

export const startTrainingSchema = z.object({
  dir,
  /** Train until this many total steps (absolute), or for `epochs` more epochs; default: until stopped. */
  steps: z.number().int().positive().optional(),
  epochs: z.number().positive().optional(),
  backend: backendChoice.optional(),
});

export const apiContract = {
  /** Trivial round trip: used to measure UI responsiveness while training. */
  ping: method<{ t: number }>()(z.object({ t: z.number() })),
  backends: method<BackendReport>()(z.object({ backend: backendChoice.optional() })),
  presets: method<PresetInfo[]>()(z.object({})),
  builtinDatasets: method<BuiltinDataset[]>()(z.object({})),
  recentProjects: method<RecentProject[]>()(z.object({})),
  createProject: method<ProjectSummary>()(createProjectSchema),
  openProject: method<ProjectSummary>()(z.object({ dir })),
  startTraining: method<TrainingStatus>()(startTrainingSchema),
  pauseTraining: method<TrainingStatus>()(z.object({ dir })),
  resumeTraining: method<TrainingStatus>()(z.object({ dir })),
  stopTraining: method<TrainingStatus>()(z.object({ dir })),
  trainingStatus: method<TrainingStatus>()(z.object({ dir })),
  metrics: method<MetricRow[]>()(z.object({ dir, sinceStep: z.number().int().min(0).optional() })),
  checkpoints: method<CheckpointInfo[]>()(z.object({ dir })),
  /** Make the given checkpoint the newest: later checkpoints, metrics and grids are moved aside. */
  rollback: method<ProjectSummary>()(z.object({ dir, step: z.number().int().min(0) })),
  sampleGrids: method<SampleGridInfo[]>()(z.object({ dir })),
  /** PNG of a saved fixed-noise grid, base64. */
  sampleGridImage: method<string>()(z.object({ dir, step: z.number().int().min(0) })),
  generate: method<SampleBatch>()(
    z.object({
      dir,
      count: z.number().int().min(1).max(256),
      seed: z.number().int().min(0),
      classIndex: z.number().int().min(0).optional(),
    }),
  ),
  /** Native folder picker in Electron; returns null when cancelled or where there is no dialog. */
  chooseDirectory: method<string | null>()(z.object({ title: z.string().optional() })),
  /** Native save dialog in Electron; the chosen absolute path, or null when cancelled. */
  chooseSaveFile: method<string | null>()(
    z.object({
      title: z.string().optional(),
      defaultName: z.string().optional(),
      filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional(),
    }),
  ),

  /** Samples saved in the project's gallery (gallery.json), pinned first. */
  galleryList: method<GallerySample[]>()(z.object({ dir })),
  /** `count` fresh tiles for `seed`: tile i is tile i of `generate({ seed })`, with its z, label and PNG. */
  galleryTiles: method<GalleryTile[]>()(
    z.object({ dir, seed: z.number().int().min(0), count: z.number().int().min(1).max(64), classIndex: z.number().int().min(0).optional() }),
  ),
  gallerySave: method<GallerySample>()(z.object({ dir, sample: gallerySaveSchema })),
  /** Rename and/or pin a saved sample. */
  galleryUpdate: method<GallerySample>()(
    z.object({ dir, id: z.string().min(1), name: z.string().max(200).optional(), pinned: z.boolean().optional() }),
  ),
  /** Deletes a saved sample; returns the gallery left. */
  galleryDelete: method<GallerySample[]>()(z.object({ dir, id: z.string().min(1) })),
  /** One PNG (base64) per row, from the newest checkpoint: walk frames, saved samples. */
  renderLatents: method<string[]>()(
    z.object({ dir, rows: z.array(renderRowSchema).min(1).max(MAX_RENDER_ROWS), scale: z.number().int().min(1).max(8).optional() }),
  ),
  /** Resolves a walk into its frames (z + soft label each); render them with renderLatents. */
  walkPlan: method<WalkPlan>()(z.object({ dir, spec: walkSpecSchema })),
  /** Renders a walk and writes it (GIF, PNG strip/grid, z JSON); progress as 'export.progress' with `id`. */
  exportWalk: method<WalkExportResult>()(z.object({ dir, spec: walkSpecSchema, options: walkExportSchema, id: z.string().min(1).optional() })),
  /** Stops a running export (its exportWalk call rejects); false when no such export runs. */
  cancelExport: method<boolean>()(z.object({ id: z.string().min(1) })),

  /** Concepts saved in the project (concepts.json) for latent arithmetic, oldest first. */
  conceptList: method<Concept[]>()(z.object({ dir })),
  /** A new concept; it gets the first free symbol (A, B, C...). */
  conceptCreate: method<Concept>()(z.object({ dir, name: conceptNameSchema, members: conceptMembersSchema.optional() })),
  /** Renames a concept and/or replaces its members. */
  conceptUpdate: method<Concept>()(
    z.object({ dir, id: z.string().min(1), name: conceptNameSchema.optional(), members: conceptMembersSchema.optional() }),
  ),
  /** Deletes a concept; returns the concepts left. */
  conceptDelete: method<Concept[]>()(z.object({ dir, id: z.string().min(1) })),
  /** Evaluates an expression over concept means ("A - B + C") into the paper's 3x3 noise grid and its pixel-space twin. */
  arithCompose: method<ArithResult>()(arithComposeSchema.extend({ dir })),
  /** Applies mean(a) - mean(b) to a base z at each strength; the frames render a walk. */
  arithDirection: method<DirectionResult>()(arithDirectionSchema.extend({ dir })),

  /* Look inside the networks (paper Sec. 6); all from the newest checkpoint, in the inference worker. */
  /** G's and D's layers, and the default layer for forgetting. */
  inspectLayers: method<InspectLayers>()(z.object({ dir })),
  /** A layer's learned kernels as tiles. */
  inspectFilters: method<FilterImage>()(filtersInputSchema.extend({ dir })),
  /** Every layer's activations for one generated or real sample. */
  inspectFeatures: method<FeatureMaps>()(z.object({ dir, source: inspectSourceSchema })),
  /** The samples of a pool that excite one channel most. */
  inspectTopActivating: method<TopActivating>()(topActivatingInputSchema.extend({ dir })),
  /** Guided backpropagation of a channel of D's last conv layer, trained vs random D (paper Fig. 5). */
  inspectGuided: method<GuidedBackprop>()(guidedInputSchema.extend({ dir })),
  /** The boxes saved by the forgetting view (empty when none). */
  forgetAnnotations: method<ForgetAnnotations>()(z.object({ dir })),
  saveForgetAnnotations: method<ForgetAnnotations>()(z.object({ dir, annotations: forgetAnnotationsSchema })),
  /** Logistic regression on G's activations: which feature maps predict "inside a box" (paper Sec. 6.3.1). */
  forgetFit: method<ForgetFit>()(forgetFitInputSchema.extend({ dir })),
  /** Samples with the same z with and without the given feature maps of a G layer zeroed. */
  forgetRender: method<ForgetRender>()(forgetRenderInputSchema.extend({ dir })),

  /* Evaluate what was learned; long runs go to the inference worker and report 'eval.progress'. */
  /** Everything evaluated so far (eval/*.jsonl) and whether the dataset has the labels the scores need. */
  evalLogs: method<EvalLogs>()(z.object({ dir })),
  /** D as a feature extractor (paper Sec. 5.1): linear-classifier accuracy vs N, beside pixels and a random D. */
  evalFeatures: method<FeatureEvalResult>()(featureEvalInputSchema.extend({ dir })),
  /** Quality score per checkpoint: Fréchet distance in the features of a classifier trained on the project's labels. */
  evalQuality: method<QualityResult>()(qualityInputSchema.extend({ dir })),
  /** Nearest training images of generated samples (pixels and D features) and their distance statistics per checkpoint. */
  evalMemorisation: method<MemorisationResult>()(memorisationInputSchema.extend({ dir })),
  /** Stops the project's running evaluation (its call rejects with 'Evaluation cancelled'); false when none runs. */
  evalCancel: method<boolean>()(z.object({ dir })),
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<K extends ApiMethod> = z.input<ApiContract[K]['input']>;
export type ApiOutput<K extends ApiMethod> = ApiContract[K]['output'];
export const apiMethods = Object.keys(apiContract) as ApiMethod[];

/** The API as the renderer sees it (window.ganvas) and as the engine implements it. */
export type GanvasApi = { [K in ApiMethod]: (input: ApiInput<K>) => Promise<ApiOutput<K>> };

/** Events pushed from the engine to the renderer. */
export interface ApiEvents {
  'training.status': TrainingStatus;
  'training.metrics': { dir: string; rows: MetricRow[] };
  'training.sample': { dir: string; grid: SampleGridInfo };
  'import.progress': { done: number; total: number; file?: string };
  'import.report': ImportReport;
  'export.progress': ExportProgress;
  'eval.progress': EvalProgress;
  /** A native menu item or shell action the renderer carries out (File > New project...). */
  'app.command': AppCommand;
}

export type AppCommand =
  | { command: 'new-project' }
  | { command: 'open-project'; dir: string }
  | { command: 'show-start' }
  | { command: 'export-grid' };
export type ApiEventName = keyof ApiEvents;
export const apiEventNames: ApiEventName[] = [
  'training.status',
  'training.metrics',
  'training.sample',
  'import.progress',
  'import.report',
  'export.progress',
  'eval.progress',
  'app.command',
];

export interface GanvasBridge extends GanvasApi {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** All IPC channel names live here. */
export const channels = {
  invoke: (name: ApiMethod) => `ganvas:invoke:${name}`,
  event: 'ganvas:event',
} as const;

/** Errors cross IPC as plain messages; this prefix marks a user-facing validation error. */
export class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates a payload against its method's schema; throws an ApiError with a readable message. */
export function parseInput<K extends ApiMethod>(name: K, payload: unknown): z.output<ApiContract[K]['input']> {
  const result = apiContract[name].input.safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(`Invalid ${name} request: ${where}${issue?.message ?? 'bad payload'}`);
  }
  return result.data as z.output<ApiContract[K]['input']>;
}
