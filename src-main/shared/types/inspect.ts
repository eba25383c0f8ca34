/**
 * Data of the "look inside the networks" views (paper Sec. 6): filters, feature maps,
 * top-activating samples, guided backpropagation and forgetting (dropping G's feature maps).
 * Re-exported from types.ts, so the renderer sees them with every other shared type.
 */

export type InspectNet = 'G' | 'D';

/** How filter weights become grey levels: scaled by the largest |w| of each tile, or of the whole layer. */
export type FilterNorm = 'tile' | 'layer';

/**
 * A PNG of equally sized tiles laid out row by row with `pad` pixels between and around them,
 * at `scale` pixels per source pixel: tile i sits at column i % cols, row floor(i / cols).
 */
export interface TileGrid {
  pngBase64: string;
  /** PNG size in pixels (already scaled). */
  width: number;
  height: number;
  count: number;
  cols: number;
  rows: number;
  /** Tile size in source pixels (before scaling). */
  tileWidth: number;
  tileHeight: number;
  pad: number;
  scale: number;
}

/** A layer of G or D as the inspect views list it. */
export interface InspectLayer {
  net: InspectNet;
  name: string;
  kind: 'project' | 'linear' | 'deconv' | 'conv';
  inChannels: number;
  outChannels: number;
  kernel: number;
  /** Spatial size of the layer's output feature maps. */
  outSize: number;
  /** Whether it has spatial kernels to show (every conv and transposed conv; not the project or linear matmuls). */
  hasFilters: boolean;
}

export interface InspectLayers {
  /** Checkpoint step the weights come from (0 = untrained). */
  step: number;
  G: InspectLayer[];
  D: InspectLayer[];
  /** The default layer for forgetting: G's layer just before the output layer. */
  forgetLayer: string;
}

/**
 * The kernels of one layer as tiles.
 *  - 'rgb': one colour tile per output channel (D's first layer on colour images) or per input
 *    channel (G's output layer on colour images): what a unit looks for / paints.
 *  - 'grey': one grey tile per unit when the pixel side has one channel (greyscale datasets).
 *  - 'matrix': a row per output channel, a column per input channel, one grey k x k tile each.
 * Grey level 128 is a zero weight; black/white are -/+ the normalising maximum.
 */
export interface FilterImage {
  step: number;
  net: InspectNet;
  layer: string;
  mode: 'rgb' | 'grey' | 'matrix';
  norm: FilterNorm;
  grid: TileGrid;
  kernel: number;
  inChannels: number;
  outChannels: number;
  /** The output (rows) and input (columns) channel ranges shown: [start, end). */
  outRange: [number, number];
  inRange: [number, number];
  /** Largest |w| in the whole layer (per-layer normalisation maps it to black/white). */
  maxAbs: number;
}

/** Where a sample comes from: tile `index` of `generate({ seed })`, or a dataset image. */
export type InspectSource = { kind: 'generated'; seed: number; index: number; classIndex?: number } | { kind: 'real'; index: number };

/** One layer's activations for one sample: a tile per channel, normalised per channel (min-max). */
export interface FeatureLayer {
  net: InspectNet;
  layer: string;
  size: number;
  channels: number;
  grid: TileGrid;
  /** Per-channel mean and max activation (the ranking statistics of the top-activating search). */
  means: number[];
  maxes: number[];
}

export interface FeatureMaps {
  step: number;
  source: InspectSource;
  /** The sample itself, PNG base64. */
  imagePngBase64: string;
  /** Class of the sample (conditional models, dataset labels), or null. */
  label: number | null;
  /** G's layers (generated samples only; null for a dataset image). */
  G: FeatureLayer[] | null;
  /** D's layers up to its last conv layer (the logit layer is `dLogit`). */
  D: FeatureLayer[];
  /** D's logit for the sample: > 0 means "real". */
  dLogit: number;
}

export type ActivationRank = 'mean' | 'max';

export interface TopActivatingItem {
  /** Sample index (generated: tile index for the seed; real: dataset index). */
  index: number;
  score: number;
  label: number | null;
}

export interface TopActivating {
  step: number;
  net: InspectNet;
  layer: string;
  channel: number;
  source: 'generated' | 'real';
  rank: ActivationRank;
  /** Samples searched (generated: tiles 0..pool-1 of `seed`; real: a seeded draw from the dataset). */
  pool: number;
  seed: number;
  items: TopActivatingItem[];
  /** The top samples, best first. */
  images: TileGrid;
  /** The chosen channel's activation map for each top sample (normalised over all of them). */
  maps: TileGrid;
}

/** Guided backpropagation of one D channel for one network (trained or random baseline). */
export interface GuidedSet {
  items: TopActivatingItem[];
  /** The real images that excite the channel most, best first. */
  images: TileGrid;
  /** Their guided-backprop input patterns, each normalised symmetrically (grey = 0). */
  patterns: TileGrid;
}

export interface GuidedBackprop {
  step: number;
  layer: string;
  channel: number;
  pool: number;
  seed: number;
  trained: GuidedSet;
  /** The same D at its random initialisation (this project's step 0): the paper's Fig. 5 baseline. */
  random: GuidedSet;
}

/** A box on a generated sample, in image pixels (0..size), x0 < x1, y0 < y1. */
export interface ForgetBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface ForgetSampleBoxes {
  seed: number;
  index: number;
  classIndex?: number;
  boxes: ForgetBox[];
}

/** What the forgetting view saves in the project (inspect/forget.json). */
export interface ForgetAnnotations {
  version: 1;
  /** The G layer the boxes were meant for (null: the default layer). */
  layer: string | null;
  samples: ForgetSampleBoxes[];
}

export interface ForgetFit {
  step: number;
  layer: string;
  channels: number;
  /** Logistic regression weight per channel (on standardised activations). */
  weights: number[];
  bias: number;
  /** Channels with weight > threshold, highest weight first: the maps to drop. */
  selected: number[];
  threshold: number;
  /** Spatial positions inside / outside the boxes that the regression was fitted on. */
  positives: number;
  negatives: number;
  /** Mean of the accuracy on positives and on negatives (training data). */
  balancedAccuracy: number;
}

export interface ForgetRender {
  step: number;
  layer: string;
  dropped: number[];
  seed: number;
  /** One PNG per sample (tiles 0..count-1 of `seed`), unchanged and with the maps dropped. */
  before: string[];
  after: string[];
  size: number;
}
