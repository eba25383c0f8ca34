/**
 * Bring your own image (projection, image -> z), discovered directions, feature visualisation by
 * optimisation, training timelapses and animation exports.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
/** Where the image to project comes from. */
export type ProjectionImage =
  /** An image file the person picked or dropped (desktop), or named (CLI). */
  | { kind: 'file'; path: string }
  /** An image file's contents sent with the call (a drop in a browser window, a remote client). */
  | { kind: 'bytes'; name: string; base64: string }
  /** An image of the project's own dataset. */
  | { kind: 'dataset'; index: number }
  /** A saved gallery sample, as the checkpoint used draws it. */
  | { kind: 'sample'; id: string };

/** How hard to search (defaults: 500 steps, 4 restarts, seed 0). */
export interface ProjectionSettings {
  steps?: number;
  restarts?: number;
  seed?: number;
  /** Conditional models: the class if known (a dataset image's own label otherwise); absent searches every class. */
  classIndex?: number;
  /** Stop once the loss has not improved for a while (default true); false runs every step. */
  earlyStop?: boolean;
}

/** One random start of a projection and where it ended. */
export interface ProjectionRestart {
  restart: number;
  label: number | null;
  loss: number;
  /** RMSE of its best reconstruction on the [0, 1] scale. */
  pixelError: number;
}

/** A finished projection: the z found, the reconstruction beside what it was asked to match, and how close it came. */
export interface ProjectionOutcome {
  /** The z found, and its class for conditional models (null otherwise). */
  z: number[];
  label: number | null;
  /** Checkpoint step whose G and D were used. */
  step: number;
  /** What was projected, for people: a file name, "dataset image 12", a sample's name. */
  sourceName: string;
  /** The target as the model sees it (its size and channels), PNG base64: the source image a gallery entry keeps. */
  targetPng: string;
  /** G(z), PNG base64. */
  reconstructionPng: string;
  /** RMSE between reconstruction and target on the [0, 1] pixel scale (0 = identical). */
  pixelError: number;
  psnr: number;
  /** Mean relative difference of D's features (0 = D sees the same image). */
  perceptualError: number | null;
  /** |z| / sqrt(zDim): near 1 where the prior puts its samples. */
  zRadius: number;
  loss: number;
  steps: number;
  stopped: 'steps' | 'converged' | 'cancelled' | null;
  seconds: number;
  bestRestart: number;
  restarts: ProjectionRestart[];
  /** The optimisation: [target | best reconstruction so far] at model size, PNG base64, with its step. */
  animation: { step: number; png: string }[];
}

/** What a gallery entry made from a projection keeps besides its z (gallery.json, field version 1). */
export interface GalleryProjection {
  version: 1;
  /** The projected image at model size, PNG base64. */
  sourcePng: string;
  sourceName: string;
  pixelError: number;
  psnr: number;
  perceptualError: number | null;
  /** Checkpoint step it was projected at (G changes as training goes on). */
  step: number;
}

/** 'invert.progress': a projection, direction discovery or feature optimisation under way. */
export interface AnalysisProgress {
  id: string;
  dir: string;
  kind: 'projection' | 'directions' | 'excite';
  phase: 'prepare' | 'optimise' | 'activations' | 'iterate' | 'done';
  done: number;
  total: number;
  seconds: number;
  /** Seconds left at the current pace; null until it can be told. */
  etaSeconds: number | null;
  /** Projection: best pixel RMSE so far; excitation: best activation so far. */
  value?: number;
  /** Projection: the best reconstruction so far, PNG base64 (a few a second at most). */
  previewPng?: string;
}

/** A principal direction of G (GANSpace), in z space. */
export interface DiscoveredDirection {
  rank: number;
  /** Unit vector [zDim]; the set is orthonormal. */
  vector: number[];
  /** Fraction of the first layer's activation variance along it. */
  explainedVariance: number;
  variance: number;
}

export interface DirectionsResult {
  /** G's layer whose activations were analysed. */
  layer: string;
  samples: number;
  seed: number;
  step: number;
  totalVariance: number;
  directions: DiscoveredDirection[];
  seconds: number;
  /** When asked for: one row per direction from -span to +span around a base sample, PNG base64. */
  sheet?: { pngBase64: string; width: number; height: number; offsets: number[] };
}

/** A direction kept in the project (directions.json), beside the arithmetic's concept directions. */
export interface SavedDirection {
  id: string;
  name: string;
  /** Unit vector [zDim]. */
  vector: number[];
  createdAt: string;
  source: { kind: 'discovered'; rank: number; explainedVariance: number; layer: string; step: number } | null;
}

/** Frames of base + sum_i amounts[f][i] * vectors[i]. */
export interface DirectionFrames {
  label: number | null;
  frames: { z: number[]; pngBase64: string }[];
  step: number;
}

/** The input that excites one feature map most, found by optimisation. */
export interface ExciteView {
  net: 'G' | 'D';
  layer: string;
  channel: number;
  /** The input found (for G, G(z)), PNG base64. */
  pngBase64: string;
  z: number[] | null;
  label: number | null;
  activation: number;
  /** The channel's mean activation over random inputs: the scale to read `activation` against. */
  baseline: { mean: number; std: number; max: number; count: number };
  /** Best activation per step. */
  history: number[];
  steps: number;
  step: number;
  seconds: number;
}

export type AnimationFormat = 'gif' | 'mp4' | 'webm';

export interface AnimationExportOptions {
  /** Absolute path of the file to write; its extension tells the format unless `format` is given. */
  out: string;
  format?: AnimationFormat;
  fps: number;
  /** Nearest-neighbour upscaling of each frame. */
  scale?: number;
}

export interface AnimationExportResult {
  file: string;
  format: AnimationFormat;
  frames: number;
  width: number;
  height: number;
  bytes: number;
  seconds: number;
}
