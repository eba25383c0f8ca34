/**
 * Plain data types shared by the engine, the Electron adapter and the renderer.
 * Nothing here may import Node, Electron or tfjs: the renderer bundles this file.
 */
import type { ModelArchitecture } from './model-types';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was skipped (missing module, missing native binding, no CUDA...). */
  reason?: string;
}

export interface BackendReport {
  /** The backend tfjs is really running on. */
  active: BackendName;
  requested: BackendChoice;
  /** Every backend tried, in order of preference, with the reason each failed. */
  attempts: BackendAttempt[];
}

export type ImageSize = 28 | 32 | 64 | 128;
export type LatentDistribution = 'normal' | 'uniform';

export interface ModelConfig {
  size: ImageSize;
  channels: 1 | 3;
  /** Length of z (paper: 100). */
  zDim: number;
  /** Width of G's last hidden layer; deeper layers double it (paper: 128, PyTorch reference 64). */
  ngf: number;
  /** Width of D's first layer; deeper layers double it. */
  ndf: number;
  /** Number of classes for a conditional model (one-hot label fed to G and D); 0 = unconditional. */
  numClasses: number;
  latent: LatentDistribution;
  /** G and D layer by layer (model-types.ts); absent in projects made before it existed = the paper nets. */
  arch?: ModelArchitecture;
}

export interface TrainHyper {
  /** Adam learning rate (paper: 2e-4). */
  learningRate: number;
  /** Adam beta1 (paper: 0.5; 0.9 oscillated). */
  beta1: number;
  beta2: number;
  batchSize: number;
  /** Log a metrics row every N steps. */
  logEvery: number;
  /** Render the fixed-noise grid every N steps (and at each epoch end). */
  sampleEvery: number;
  /** Write a checkpoint every N steps. */
  checkpointEvery: number;
  /** Rolling checkpoints: keep the last K... */
  keepLast: number;
  /** ...and every Nth checkpoint forever (0 = none). */
  keepEvery: number;
  /** Seed for weights, data order and noise; a resumed run continues the same stream. */
  seed: number;
  /**
   * Conditional models: the labels of the fake batch. 'real' (default): the real batch's labels;
   * 'random': uniformly drawn classes, as the CGAN of *Make Your First GAN With PyTorch* does.
   */
  fakeLabels?: FakeLabelScheme;
}

export type FakeLabelScheme = 'real' | 'random';

export type DatasetSource =
  | { kind: 'mnist' }
  | { kind: 'fashion-mnist' }
  /** `crop`: cut a crop x crop window from each image's centre before resizing (the book's crop_centre). */
  | { kind: 'folder'; path: string; crop?: number };

export interface DatasetInfo {
  source: DatasetSource;
  count: number;
  size: number;
  channels: 1 | 3;
  /** Class names for conditional models (from label files or class sub-folders). */
  classes: string[];
}

export interface ImportReport {
  imported: number;
  skipped: { file: string; reason: string }[];
  classes: string[];
}

export interface ProjectConfig {
  schemaVersion: number;
  name: string;
  createdAt: string;
  model: ModelConfig;
  train: TrainHyper;
  dataset: DatasetInfo;
}

export interface CheckpointInfo {
  step: number;
  epoch: number;
  createdAt: string;
  /** Kept forever by the keep-every-Nth rule. */
  pinned: boolean;
}

export interface MetricRow {
  step: number;
  epoch: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) on the real batch. */
  dReal: number;
  /** Mean D(G(z)) on the fake batch. */
  dFake: number;
  imagesPerSec: number;
  backend: BackendName;
  time: number;
}

export interface SampleGridInfo {
  step: number;
  epoch: number;
  file: string;
}

export interface LayerInfo {
  name: string;
  kind: string;
  outputShape: number[];
  params: number;
}

export interface NetworkSummary {
  layers: LayerInfo[];
  trainableParams: number;
}

export interface PresetInfo {
  id: string;
  label: string;
  model: ModelConfig;
  generator: NetworkSummary;
  discriminator: NetworkSummary;
}

export interface ProjectSummary {
  dir: string;
  config: ProjectConfig;
  generator: NetworkSummary;
  discriminator: NetworkSummary;
  checkpoints: CheckpointInfo[];
  samples: SampleGridInfo[];
  /** Step of the newest checkpoint, 0 when untrained. */
  step: number;
  epoch: number;
  stepsPerEpoch: number;
  importReport?: ImportReport;
}

export type TrainingState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'finished' | 'error';

export interface TrainingStatus {
  dir: string;
  state: TrainingState;
  step: number;
  epoch: number;
  targetStep: number;
  backend?: BackendReport;
  imagesPerSec: number;
  etaSeconds: number | null;
  message?: string;
}

export interface RecentProject {
  dir: string;
  name: string;
  openedAt: string;
}

export interface BuiltinDataset {
  kind: 'mnist' | 'fashion-mnist';
  label: string;
  available: boolean;
  count: number;
  reason?: string;
}

/** A generated batch: PNG grid plus the latent vectors used, so any tile can be reproduced. */
export interface SampleBatch {
  /** PNG bytes of the grid, base64. */
  pngBase64: string;
  z: number[][];
  labels?: number[];
  seed: number;
}

/* ---- Latent walks, sample gallery and exports ---- */

export type WalkMode = 'linear' | 'slerp';

/** A point G can render: z plus, for conditional models, a class index (null otherwise). */
export interface LatentPoint {
  z: number[];
  label: number | null;
}

/**
 * Where a walk's endpoint comes from: a seed, an explicit z, a saved gallery sample or a saved
 * concept. A seed endpoint is tile 0 of `generate({ seed })`:
 * the first z of the seed's sample stream, and class `classIndex` (default 0).
 */
export type WalkEndpoint =
  | { kind: 'seed'; seed: number; classIndex?: number }
  | { kind: 'z'; z: number[]; label?: number | null }
  | { kind: 'sample'; id: string }
  /** A saved concept (latent arithmetic): the mean z of its samples, their most common class. */
  | { kind: 'concept'; id: string };

/** What to walk: every variant renders to a list of frames (z + soft label). */
export type WalkSpec =
  | {
      /** Through two or more endpoints in order (paper Fig. 4: a series of 9 random points). */
      kind: 'path';
      endpoints: WalkEndpoint[];
      mode: WalkMode;
      framesPerSegment: number;
      /** Closes the path back to the first endpoint, for seamless looping. */
      loop?: boolean;
    }
  | {
      /** A seeded random walk from `start`, staying near the prior's typical set. */
      kind: 'random';
      start: WalkEndpoint;
      steps: number;
      stepSize: number;
      seed: number;
      mode: WalkMode;
      framesPerSegment: number;
    }
  | {
      /** One dimension of `start` swept across `range`, the others fixed. */
      kind: 'sweep';
      start: WalkEndpoint;
      dim: number;
      range: [number, number];
      frames: number;
    }
  | {
      /** Conditional models: z fixed, the label moved from class to class (soft labels between). */
      kind: 'classes';
      start: WalkEndpoint;
      classes: number[];
      framesPerSegment: number;
      loop?: boolean;
    };

/** One frame of a walk: z, and the (possibly soft) label row of length numClasses or null. */
export interface WalkFrame {
  z: number[];
  label: number[] | null;
}

export interface WalkPlan {
  frames: WalkFrame[];
  /** Frame index where each key point (endpoint, walk step, class) sits. */
  keyFrames: number[];
  /** Checkpoint step the frames will be rendered from. */
  step: number;
}

/** A sample saved in the project's gallery (gallery.json). */
export interface GallerySample extends LatentPoint {
  id: string;
  name: string;
  pinned: boolean;
  createdAt: string;
  /** Where it came from: tile `index` of `generate({ seed })`, when it came from a seed. */
  source: { seed: number; index: number } | null;
}

/** A freshly generated gallery tile: its z, label and a small PNG. */
export interface GalleryTile extends LatentPoint {
  seed: number;
  index: number;
  pngBase64: string;
}

export type WalkExportFormat = 'gif' | 'png-strip' | 'png-grid' | 'json';

export interface WalkExportOptions {
  format: WalkExportFormat;
  /** Absolute path of the file to write. */
  out: string;
  fps: number;
  /** Nearest-neighbour upscaling factor (keeps small images crisp). */
  scale: number;
  /** Play forwards then backwards (endpoints not repeated). */
  pingPong?: boolean;
  /** Columns of a PNG grid (default: square-ish). */
  cols?: number;
}

export interface WalkExportResult {
  file: string;
  format: WalkExportFormat;
  frames: number;
  width: number;
  height: number;
  bytes: number;
  seconds: number;
}

export interface ExportProgress {
  id: string;
  phase: 'render' | 'encode' | 'done' | 'cancelled' | 'error';
  done: number;
  total: number;
  file: string;
  message?: string;
}

export interface SaveFileFilter {
  name: string;
  extensions: string[];
}

/* ---- Latent vector arithmetic (concepts) ---- */

/** One exemplar of a concept: a z the user picked (from the gallery, a seed, or pasted). */
export interface ConceptMember {
  z: number[];
  /** Class index for conditional models; null/absent otherwise. */
  label?: number | null;
  /** The gallery sample it was dragged from, when it came from gallery.json. */
  sampleId?: string;
  /** The sample seed it came from (z = tile 0 of `generate({ seed })`). */
  seed?: number;
}

/**
 * A named set of exemplars whose mean z stands for an idea ("smiling woman"). The paper
 * (Sec. 6.3, Fig. 7) found one exemplar unstable and the mean of three stable.
 */
export interface Concept {
  id: string;
  name: string;
  /** Short stable name used in expressions: A, B, C... (kept when other concepts are deleted). */
  symbol: string;
  members: ConceptMember[];
  createdAt: string;
  updatedAt: string;
}

/** One concept of an expression as rendered: its exemplars, G(mean z) and the mean of their images. */
export interface ArithTermView {
  conceptId: string;
  symbol: string;
  name: string;
  weight: number;
  /** G(z) of each member, PNG base64. */
  memberPngs: string[];
  /** G(mean z): what the concept looks like in latent space. */
  meanZPng: string;
  /** The mean of the members' images: the same average done on pixels. */
  meanPixelPng: string;
}

export interface ArithResult {
  /** The expression in canonical form, with symbols: "A - B + C". */
  expression: string;
  terms: ArithTermView[];
  /** Y = sum of weight * mean z. */
  z: number[];
  /** The same combination of the members' one-hot labels, clipped and renormalised; null when unconditional. */
  label: number[] | null;
  noise: number;
  noiseSeed: number;
  /** The paper's 3x3 grid, row-major: [4] is G(Y), the others G(Y + U(-noise, noise)). PNG base64 each. */
  grid: string[];
  gridZ: number[][];
  /** The 3x3 grid as one PNG (what the CLI writes). */
  gridPng: string;
  /** The same expression on pixels: sum of weight * mean member image, clipped to [-1, 1]. */
  pixelPng: string;
  /** Checkpoint step the images come from. */
  step: number;
}

export interface DirectionFrame {
  strength: number;
  z: number[];
  pngBase64: string;
}

/** A direction d = mean(A) - mean(B) (e.g. the paper's Fig. 8 "turn" vector) applied to a base z. */
export interface DirectionResult {
  direction: number[];
  /** |d|, and |d| relative to the typical |z| of the prior (sqrt(zDim) for N(0,1)). */
  norm: number;
  relativeNorm: number;
  /** The base's label, kept for every frame. */
  label: number | null;
  frames: DirectionFrame[];
  step: number;
}

export type * from './model-types';
export type * from './inspect-types';
export type * from './eval-types';
