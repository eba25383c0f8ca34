/**
 * Interpolation in G's input space: pure Float32Array math, no tfjs, so it runs anywhere
 * (worker, CLI, tests) and is checked against its formulas directly.
 *
 * Why slerp: for z ~ N(0, I) in d dimensions, |z| concentrates near sqrt(d) (the "shell"), and
 * two random z are nearly orthogonal. The straight line between them passes at |z| ~ sqrt(d/2)
 * midway, a region G never saw in training, so linear walks fade towards a blurry "average"
 * image in the middle. Spherical interpolation (White 2016, "Sampling Generative Networks")
 * follows the great circle instead and keeps the norm. The DCGAN paper (Sec. 6.1, Fig. 4)
 * walks through a series of random points; we offer both.
 */
import type { WalkMode } from '../../shared/types';

/** Below this |sin(angle)| the endpoints are (anti)parallel and slerp falls back to lerp. */
const COLINEAR_EPSILON = 1e-6;

/** (1 - t) a + t b. `a`, `b` [d]; returns [d]. */
export function lerp(a: Float32Array, b: Float32Array, t: number, out = new Float32Array(a.length)): Float32Array {
  checkSameLength(a, b);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + t * (b[i] - a[i]);
  return out;
}

/**
 * Spherical linear interpolation (Shoemake 1985), on the raw vectors as in White 2016:
 *   slerp(a, b, t) = sin((1 - t) W) / sin W * a + sin(t W) / sin W * b,  cos W = a.b / (|a| |b|).
 * When |a| = |b| every frame keeps that norm. Colinear endpoints (W ~ 0 or ~ pi, or a zero
 * vector) define no unique great circle: those fall back to lerp, which is then the sensible path.
 * `a`, `b` [d]; returns [d].
 */
export function slerp(a: Float32Array, b: Float32Array, t: number, out = new Float32Array(a.length)): Float32Array {
  checkSameLength(a, b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const norms = Math.sqrt(na * nb);
  if (norms === 0) return lerp(a, b, t, out);
  const cos = Math.min(1, Math.max(-1, dot / norms));
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  if (Math.abs(sin) < COLINEAR_EPSILON) return lerp(a, b, t, out);
  const wa = Math.sin((1 - t) * omega) / sin;
  const wb = Math.sin(t * omega) / sin;
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

export function interpolate(mode: WalkMode, a: Float32Array, b: Float32Array, t: number): Float32Array {
  return mode === 'slerp' ? slerp(a, b, t) : lerp(a, b, t);
}

/** Frames of a path through n points: open paths end on their last point, loops do not repeat the first. */
export function pathFrameCount(points: number, framesPerSegment: number, loop: boolean): number {
  if (points < 1) return 0;
  if (points === 1) return 1;
  return loop ? points * framesPerSegment : (points - 1) * framesPerSegment + 1;
}

export interface PathOptions {
  mode: WalkMode;
  /** Frames from one point up to (not including) the next. */
  framesPerSegment: number;
  /** Adds the segment from the last point back to the first; the frames then cycle seamlessly. */
  loop?: boolean;
}

/**
 * Frames along a path through `points` (each [d]): segment k holds
 * interpolate(p_k, p_k+1, j / framesPerSegment) for j = 0..framesPerSegment-1.
 * Returns `pathFrameCount` rows of [d]; key point k sits at frame k * framesPerSegment.
 */
export function interpolatePath(points: Float32Array[], opts: PathOptions): Float32Array[] {
  const { mode, framesPerSegment: f } = opts;
  if (!Number.isInteger(f) || f < 1) throw new Error(`framesPerSegment must be a positive integer, got ${f}`);
  if (points.length === 0) return [];
  if (points.length === 1) return [Float32Array.from(points[0])];
  const loop = opts.loop ?? false;
  const segments = loop ? points.length : points.length - 1;
  const frames: Float32Array[] = [];
  for (let s = 0; s < segments; s++) {
    const a = points[s];
    const b = points[(s + 1) % points.length];
    for (let j = 0; j < f; j++) frames.push(j === 0 ? Float32Array.from(a) : interpolate(mode, a, b, j / f));
  }
  if (!loop) frames.push(Float32Array.from(points[points.length - 1]));
  return frames;
}

/** Euclidean norm of a row. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function checkSameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) throw new Error(`Cannot interpolate vectors of lengths ${a.length} and ${b.length}`);
}
