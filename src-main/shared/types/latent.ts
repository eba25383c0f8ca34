/**
 * Sampling, latent walks, the sample gallery and exports.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
import type { GalleryProjection } from './invert';

export interface SampleBatch {
  /** PNG bytes of the grid, base64. */
  pngBase64: string;
  z: number[][];
  labels?: number[];
  seed: number;
}

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
  /** Set when the sample came from projecting an image (image -> z): the image and how close G(z) came. */
  projection?: GalleryProjection;
}

/** A freshly generated gallery tile: its z, label and a small PNG. */
export interface GalleryTile extends LatentPoint {
  seed: number;
  index: number;
  pngBase64: string;
}

export type WalkExportFormat = 'gif' | 'mp4' | 'webm' | 'png-strip' | 'png-grid' | 'json';

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

/** A still image written where the person chose (a sample grid, an arithmetic grid). */
export interface ImageExportResult {
  file: string;
  /** The written image's size in px (after `scale`). */
  width: number;
  height: number;
  /** The whole-number nearest-neighbour enlargement applied. */
  scale: number;
  bytes: number;
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
