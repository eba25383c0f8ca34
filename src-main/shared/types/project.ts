/**
 * Projects: config, dataset, checkpoints, summaries, recent projects.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
import type { ImportOrigin } from './import';
import type { NetworkSummary, ModelConfig, TrainHyper } from './model';

export type DatasetSource =
  | { kind: 'mnist' }
  | { kind: 'fashion-mnist' }
  /** `crop`: cut a crop x crop window from each image's centre before resizing (the book's crop_centre). */
  | { kind: 'folder'; path: string; crop?: number }
  /** No training images: a model imported without a dataset (count 0, no dataset.bin). */
  | { kind: 'none' };

export interface DatasetInfo {
  source: DatasetSource;
  count: number;
  size: number;
  channels: 1 | 3;
  /** Class names for conditional models (from label files or class sub-folders). */
  classes: string[];
}

/** Summary numbers of a project's dataset cache. */
export interface DatasetStats {
  count: number;
  /** Images per class, in class order; [count] for an unlabelled cache. */
  classCounts: number[];
  /** Mean of all pixel bytes divided by 255, in [0, 1] (MNIST ≈ 0.13). */
  meanPixel: number;
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
  /** Set when the model was imported (`importModel`): where its weights came from. */
  imported?: ImportOrigin;
}

export interface CheckpointInfo {
  step: number;
  epoch: number;
  createdAt: string;
  /** Kept forever by the keep-every-Nth rule. */
  pinned: boolean;
}

export interface SampleGridInfo {
  step: number;
  epoch: number;
  file: string;
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
  /** What the engine repaired or set aside in this project, newest last (damaged checkpoints...). */
  notices: ProjectNotice[];
}

/**
 * Something the engine did to keep a project usable that its owner should hear about: a damaged
 * checkpoint moved aside (the previous one used instead), a torn file ignored; or how a run's
 * training workers differ from what was asked or from what its checkpoint was trained with.
 */
export interface ProjectNotice {
  time: string;
  kind: 'damaged-checkpoint' | 'torn-file' | 'repaired-file' | 'workers' | 'device-lost';
  message: string;
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
