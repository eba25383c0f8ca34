/**
 * Data types of the evaluation feature ("what was learned"): D as a feature extractor (paper
 * Sec. 5.1), the memorisation check, and the offline quality score. Plain data: the renderer
 * bundles this file.
 */

export type LinearLossName = 'l2svm' | 'logistic';
export type FeatureMethod = 'trained-d' | 'random-d' | 'pixels';
export type EvalKind = 'features' | 'quality' | 'memorisation';

/** Accuracy of one feature set with N labelled examples. */
export interface FeatureMethodResult {
  method: FeatureMethod;
  /** Fraction of the test set classified correctly. */
  accuracy: number;
  /** Regularisation chosen on a holdout of the N examples. */
  lambda: number;
}

export interface FeatureEvalRow {
  /** Labelled training examples used. */
  n: number;
  /** How many of them per class. */
  perClass: number[];
  results: FeatureMethodResult[];
}

/** One run of the Sec. 5.1 evaluation (eval/features.jsonl, one object per line). */
export interface FeatureEvalResult {
  version: 1;
  createdAt: string;
  /** Checkpoint of the trained D; 0 = the project is untrained (then "trained" D is the initial one). */
  step: number;
  epoch: number;
  seed: number;
  loss: LinearLossName;
  testSize: number;
  /** Images the labelled examples were drawn from (the dataset minus the reserved test region). */
  poolSize: number;
  classes: string[];
  methods: { method: FeatureMethod; label: string; dim: number }[];
  rows: FeatureEvalRow[];
  seconds: number;
  /** Extra facts a reader needs (e.g. how a conditional D was fed). */
  notes: string[];
}

/** The classifier whose features the quality score (a Fréchet distance) is computed on. */
export interface FdClassifierInfo {
  classifier: 'ganvas-cnn-v1';
  /** Fingerprint of the weights: scores are comparable only under the same id. */
  id: string;
  featureDim: number;
  size: number;
  channels: 1 | 3;
  numClasses: number;
  trainSteps: number;
  batchSize: number;
  /** Pool images it was trained on (never the test images). */
  trainImages: number;
  testImages: number;
  /** Its accuracy on the test images: how meaningful its features are. */
  testAccuracy: number;
  seed: number;
  createdAt: string;
}

/** eval/quality.jsonl: the quality score of one checkpoint. */
export interface QualityRow {
  step: number;
  epoch: number;
  /** Fréchet distance between real test images and generated samples in the classifier's features. */
  fd: number;
  meanTerm: number;
  covTerm: number;
  nReal: number;
  nFake: number;
  /** FD between the real test images and as many other real images: what a perfect generator would score. */
  realFloor: number;
  classifier: 'ganvas-cnn-v1';
  classifierId: string;
  seed: number;
  time: string;
}

export interface QualityResult {
  classifier: FdClassifierInfo;
  /** Every row scored with this classifier, by step (including earlier calls). */
  rows: QualityRow[];
  /** Steps scored by this call. */
  evaluated: number[];
  /** Steps asked for that could not be scored (e.g. pruned meanwhile). */
  skipped: { step: number; reason: string }[];
}

export interface DistanceStats {
  mean: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
}

/** eval/memorisation.jsonl: nearest-neighbour distances of one checkpoint's samples. */
export interface MemorisationRow {
  step: number;
  epoch: number;
  /** Generated samples (K). */
  samples: number;
  /** Training images searched (a seeded subset of the pool). */
  reference: number;
  /** Generated sample -> nearest training image, pixel L2 (images in [-1, 1]). */
  pixel: DistanceStats;
  /** Same, L2 between pooled D features of this checkpoint's D. */
  dFeature: DistanceStats;
  /** Held-out real image -> nearest training image: the distances novel real images have. */
  realPixel: DistanceStats;
  realDFeature: DistanceStats;
  /** Fraction of samples closer to a training image than 90% of held-out real images are (pixels); ~0.1 is normal. */
  nearCopyRate: number;
  /** The official DCGAN code's nnd: mean pixel distance from a held-out real image to its nearest sample (coverage). */
  nnd: number;
  seed: number;
  time: string;
}

export interface NeighbourImage {
  /** Index in the dataset cache. */
  index: number;
  label: number;
  distance: number;
  pngBase64: string;
}

export interface MemorisationExample {
  sample: number;
  /** The generated image, PNG base64. */
  pngBase64: string;
  label?: number;
  byPixel: NeighbourImage[];
  byDFeature: NeighbourImage[];
}

export interface MemorisationResult {
  rows: MemorisationRow[];
  /** Nearest training images of the first samples at `examplesStep` (the last step evaluated). */
  examples: MemorisationExample[];
  examplesStep: number | null;
  skipped: { step: number; reason: string }[];
}

export interface EvalLogs {
  /**
   * Why classification and the quality score cannot run (they need class labels), or null.
   * The memorisation check needs no labels and is always available.
   */
  labelsMissing: string | null;
  features: FeatureEvalResult[];
  quality: QualityRow[];
  memorisation: MemorisationRow[];
  classifier: FdClassifierInfo | null;
}

export interface EvalProgress {
  dir: string;
  kind: EvalKind;
  phase: string;
  done: number;
  total: number;
  /** Checkpoint being evaluated, for multi-checkpoint runs. */
  step?: number;
  /** 1-based position of that checkpoint and how many there are. */
  stepIndex?: number;
  stepCount?: number;
}
