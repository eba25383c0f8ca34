/**
 * Data types of run health ("is my run working?"): the label-free quality record of a checkpoint,
 * the notices the detectors raise, the event line they leave in metrics.jsonl, and the data
 * checks made before training. Plain data: the renderer bundles this file.
 */
import type { QualityRow } from './eval';

/** What defines a label-free feature space; scores compare only under one `id`. */
export interface FeatureSpaceInfo {
  /** Architecture and recipe name, e.g. 'ganvas-random-cnn-v1'. */
  name: string;
  /** Fingerprint of the weights: `${name}-${hex}`. */
  id: string;
  /** Seed of the weights (and of a self-supervised training run). */
  seed: number;
  size: number;
  channels: 1 | 3;
  /** Length of a feature row. */
  dim: number;
  /** How the weights were made: 'random' (seeded, never trained) or a self-supervised run. */
  training: { method: 'random' } | { method: 'contrastive'; steps: number; batchSize: number; images: number };
}

/** One checkpoint's label-free health, computed in a fixed feature space (health/score.ts). */
export interface HealthRecord {
  step: number;
  /** FeatureSpaceInfo.id of the space the numbers come from. */
  space: string;
  nReal: number;
  nFake: number;
  /** k of the k-NN manifolds behind precision and recall. */
  k: number;
  /** Fréchet distance real vs generated (lower is better) and its two terms. */
  fd: number;
  meanTerm: number;
  covTerm: number;
  /** FD between the real reference and as many other real images: a perfect G's score (null without a second real set). */
  realFloor: number | null;
  /** Share of samples inside the real images' k-NN manifold (fidelity). */
  precision: number;
  /** Share of real images inside the samples' k-NN manifold (coverage of the data). */
  recall: number;
  /** Mean pairwise feature distance among samples over the same among real images (~1 healthy, -> 0 collapsed). */
  diversity: number;
  /** Share of samples whose nearest other sample is closer than almost all real images are to theirs. */
  nearDuplicates: number;
  /** Mean feature distance of the fixed-noise samples to themselves one checkpoint earlier (null at the first). */
  gridDrift: number | null;
  /** Same, two checkpoints earlier: far below gridDrift means the grid went back where it was (cycling). */
  gridReturn: number | null;
  /** Seconds the scoring took (generation included). */
  seconds: number;
  time: string;
}

export type HealthNoticeKind = 'non-finite' | 'mode-collapse' | 'd-overpowering' | 'oscillation' | 'stalled';
export type HealthSeverity = 'info' | 'warning' | 'critical';
/** What the UI can offer as a button beside the advice. */
export type HealthAction = 'roll-back-to-best' | 'lower-d-learning-rate' | 'lower-learning-rate' | 'add-data' | 'smaller-model' | 'stop';

/** A plain-words finding about a run, from a detector over the history (health/detectors). */
export interface HealthNotice {
  kind: HealthNoticeKind;
  severity: HealthSeverity;
  /** The step at which the condition was (first) seen in the data given. */
  step: number;
  title: string;
  /** What it means and what to try, for people. */
  advice: string;
  actions: HealthAction[];
  /** The numbers the detector decided on, named as in docs/run-health.md. */
  evidence: Record<string, number | string>;
}

/** A notice as one line of metrics.jsonl: the `event` key tells it apart from a metrics row. */
export interface HealthEvent extends HealthNotice {
  event: 'health';
  version: 1;
  /** Milliseconds since the epoch, as MetricRow.time. */
  time: number;
}

/* ---- Data checks before training ---- */

export type DataCheckSeverity = 'ok' | 'info' | 'warning' | 'critical';

export interface DuplicateGroup {
  /** 'exact': identical file bytes; 'near': perceptual hashes within the threshold. */
  kind: 'exact' | 'near';
  /** Relative paths, sorted; the first is the one to keep. */
  files: string[];
  /** Largest pHash Hamming distance to the group's first file (0 for exact groups). */
  distance: number;
}

export interface DataFinding {
  kind: 'count' | 'duplicates' | 'aspect' | 'small' | 'colour' | 'unreadable';
  severity: DataCheckSeverity;
  title: string;
  advice: string;
  /** Files concerned (all of them; the UI shows the first few). */
  files: string[];
}

export interface DataCheckReport {
  version: 1;
  /** The size and channels the images will be trained at. */
  target: { size: number; channels: 1 | 3 };
  /** Files looked at, readable or not. */
  files: number;
  /** Readable images. */
  images: number;
  /** Readable images minus the extra copies of duplicates: what the GAN really learns from. */
  distinctImages: number;
  /** The rule-of-thumb counts for this image size (health/thresholds in data/checks.ts). */
  recommendedImages: number;
  minimumImages: number;
  duplicateGroups: DuplicateGroup[];
  /** Images per colour kind (greyscale = every pixel has R = G = B up to a small tolerance). */
  grey: number;
  colour: number;
  /**
   * The readable images' median short side in px (what a centre crop keeps): the size a preset
   * should train at to neither upscale nor throw detail away. Absent in reports made before it.
   */
  shortSide?: number;
  findings: DataFinding[];
  /** The worst finding's severity. */
  severity: DataCheckSeverity;
}

/* ---- What the app and the CLI see of a project's health ---- */

/** The checkpoint to keep (health/best.ts): pinned against pruning, the default for walks and exports, "roll back to best". */
export interface BestCheckpoint {
  step: number;
  /** Which scores decided. */
  by: 'label-free' | 'label-free+labelled';
  /** Label-free FD of the chosen step (and the labelled FD when it decided too). */
  fd: number;
  labelledFd: number | null;
  /** Checkpoints considered. */
  candidates: number;
  /** Plain words for the UI: why this one. */
  reason: string;
}

/** A project's run health: the label-free scores, the notices, the best checkpoint and the data check. */
export interface HealthReport {
  /** The feature space every record is scored in; null until the first score. */
  space: FeatureSpaceInfo | null;
  /** Label-free records of `space`, oldest first. */
  records: HealthRecord[];
  /** The labelled score (eval/quality.ts) of the project's current classifier, where labels exist: shown beside it. */
  labelled: QualityRow[];
  /** What the detectors say now over the whole history, the most severe first. */
  notices: HealthNotice[];
  /** Notices logged in metrics.jsonl as they were first raised, oldest first. */
  events: HealthEvent[];
  best: BestCheckpoint | null;
  /** Checkpoints on disk without a label-free record. */
  unscored: number[];
  /** Why the label-free score cannot run on this project (too few images), or null. */
  unavailable: string | null;
  /** Share of training time background scoring may take (0.05 = 5%). */
  budgetShare: number;
  /** The data check saved when the project was created (or run since); null when none was. */
  dataCheck: DataCheckReport | null;
}

/** What scoring on demand did: new records, checkpoints it could not read, and the report after. */
export interface HealthScoreResult {
  scored: HealthRecord[];
  skipped: { step: number; reason: string }[];
  report: HealthReport;
}

/** New health facts of a project, as they happen (while training, or from scoring on demand). */
export interface HealthUpdate {
  dir: string;
  /** Records just scored (may be empty: a notice from the metrics alone). */
  records: HealthRecord[];
  /** Notices raised for the first time (also logged in metrics.jsonl). */
  notices: HealthNotice[];
  best: BestCheckpoint | null;
}

/** Progress of a health score or a data check; `dir` is the project, or the folder being checked. */
export interface HealthProgress {
  dir: string;
  phase: string;
  done: number;
  total: number;
}

/** A folder checked before a project exists: the report, and small PNG thumbnails (base64) of the duplicates it lists. */
export interface FolderCheck {
  report: DataCheckReport;
  thumbnails: Record<string, string>;
}
