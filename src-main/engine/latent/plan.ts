/**
 * Turns a WalkSpec into frames (z + soft label per frame). tf-free: endpoints arrive already
 * resolved to vectors (endpoints.ts), so this is plain math and runs in any process.
 */
import { MAX_WALK_FRAMES } from '../../shared/contract/latent';
import type { ModelConfig, WalkEndpoint, WalkSpec } from '../../shared/types';
import { interpolatePath, pathFrameCount } from './interpolate';
import { dimensionSweep, oneHotRow, randomWalk } from './walks';

/** An endpoint as vectors: z [zDim] and a class index (null for unconditional models). */
export interface ResolvedPoint {
  z: Float32Array;
  label: number | null;
}

/** A planned frame: z [zDim] and a label row [numClasses] (soft between classes) or null. */
export interface PlannedFrame {
  z: Float32Array;
  label: Float32Array | null;
}

export interface PlannedWalk {
  frames: PlannedFrame[];
  keyFrames: number[];
}

export type EndpointResolver = (endpoint: WalkEndpoint) => ResolvedPoint;

/**
 * Frames of a walk. Conditional models: a path between endpoints of different classes moves
 * the label linearly too (G sees [z, label], so a soft label mixes the class embeddings of
 * its first layer); `classes` walks keep z fixed and move only the label.
 */
export function planWalk(
  spec: WalkSpec,
  model: Pick<ModelConfig, 'zDim' | 'numClasses' | 'latent'>,
  resolve: EndpointResolver,
): PlannedWalk {
  const point = (endpoint: WalkEndpoint) => checkPoint(resolve(endpoint), model);
  const labelRow = (label: number | null) => (model.numClasses > 0 ? oneHotRow(label ?? 0, model.numClasses) : null);
  let planned: PlannedWalk;
  switch (spec.kind) {
    case 'path': {
      checkFrames(pathFrameCount(spec.endpoints.length, spec.framesPerSegment, spec.loop ?? false));
      const points = spec.endpoints.map(point);
      const opts = { framesPerSegment: spec.framesPerSegment, loop: spec.loop ?? false };
      const zs = interpolatePath(
        points.map((p) => p.z),
        { ...opts, mode: spec.mode },
      );
      const labels =
        model.numClasses > 0
          ? interpolatePath(
              points.map((p) => labelRow(p.label)!),
              { ...opts, mode: 'linear' },
            )
          : null;
      planned = {
        frames: zs.map((z, i) => ({ z, label: labels ? labels[i] : null })),
        keyFrames: points.map((_, k) => k * spec.framesPerSegment),
      };
      break;
    }
    case 'random': {
      const start = point(spec.start);
      checkFrames(pathFrameCount(spec.steps + 1, spec.framesPerSegment, false));
      const keys = randomWalk(start.z, spec.steps, spec.stepSize, spec.seed, model.latent);
      const label = labelRow(start.label);
      const zs = interpolatePath(keys, { mode: spec.mode, framesPerSegment: spec.framesPerSegment });
      planned = { frames: zs.map((z) => ({ z, label })), keyFrames: keys.map((_, k) => k * spec.framesPerSegment) };
      break;
    }
    case 'sweep': {
      const start = point(spec.start);
      const label = labelRow(start.label);
      const zs = dimensionSweep(start.z, spec.dim, spec.range, spec.frames);
      planned = { frames: zs.map((z) => ({ z, label })), keyFrames: [0, spec.frames - 1] };
      break;
    }
    case 'classes': {
      if (model.numClasses === 0) throw new Error('Class walks need a conditional model (this project is unconditional)');
      checkFrames(pathFrameCount(spec.classes.length, spec.framesPerSegment, spec.loop ?? false));
      const start = point(spec.start);
      const rows = interpolatePath(
        spec.classes.map((c) => oneHotRow(c, model.numClasses)),
        { mode: 'linear', framesPerSegment: spec.framesPerSegment, loop: spec.loop ?? false },
      );
      planned = { frames: rows.map((label) => ({ z: start.z, label })), keyFrames: spec.classes.map((_, k) => k * spec.framesPerSegment) };
      break;
    }
  }
  checkFrames(planned.frames.length);
  return planned;
}

function checkPoint(p: ResolvedPoint, model: Pick<ModelConfig, 'zDim' | 'numClasses'>): ResolvedPoint {
  if (p.z.length !== model.zDim) throw new Error(`An endpoint has ${p.z.length} numbers but this model's z has ${model.zDim}`);
  if (model.numClasses === 0) return { z: p.z, label: null };
  const label = p.label ?? 0;
  if (!Number.isInteger(label) || label < 0 || label >= model.numClasses) {
    throw new Error(`Class ${label} does not exist: this model has classes 0..${model.numClasses - 1}`);
  }
  return { z: p.z, label };
}

function checkFrames(n: number): void {
  if (n > MAX_WALK_FRAMES)
    throw new Error(`This walk would have ${n} frames; the most is ${MAX_WALK_FRAMES} (use fewer frames per segment or points)`);
}
