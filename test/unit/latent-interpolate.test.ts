/** Latent walk math against its formulas: lerp, slerp, paths, random walks, sweeps, plans. */
import { describe, expect, it } from 'vitest';
import { interpolatePath, lerp, norm, pathFrameCount, slerp } from '../../src-main/engine/latent/interpolate';
import { planWalk, type ResolvedPoint } from '../../src-main/engine/latent/plan';
import { dimensionSweep, randomWalk } from '../../src-main/engine/latent/walks';
import type { WalkEndpoint } from '../../src-main/shared/types';
import { Rng } from '../../src-main/engine/util/rng';

const gaussian = (d: number, seed: number) => new Rng(seed).fillNormal(new Float32Array(d));
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol);
};

/** slerp written out in float64, independently of the implementation. */
function slerpReference(a: Float32Array, b: Float32Array, t: number): number[] {
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  const omega = Math.acos(dot / (norm(a) * norm(b)));
  return Array.from(a, (v, i) => (Math.sin((1 - t) * omega) * v + Math.sin(t * omega) * b[i]) / Math.sin(omega));
}

describe('lerp and slerp', () => {
  const a = gaussian(100, 1);
  const b = gaussian(100, 2);

  it('should match (1 - t) a + t b for lerp', () => {
    for (const t of [0, 0.25, 0.5, 0.9, 1])
      close(
        lerp(a, b, t),
        Array.from(a, (v, i) => (1 - t) * v + t * b[i]),
      );
  });

  it('should match the slerp formula and hit both endpoints', () => {
    for (const t of [0.1, 0.5, 0.77]) close(slerp(a, b, t), slerpReference(a, b, t), 1e-4);
    close(slerp(a, b, 0), a);
    close(slerp(a, b, 1), b, 1e-4);
  });

  it('should keep the norm of Gaussian z midway where lerp collapses it towards zero', () => {
    // Two independent N(0, I) vectors in 100-d are nearly orthogonal, |z| ~ 10: the chord's
    // midpoint has |z| ~ 10 / sqrt(2), far inside the shell G was trained on.
    let lerpRatio = 0;
    let slerpRatio = 0;
    for (let s = 0; s < 20; s++) {
      const p = gaussian(100, 10 + s);
      const q = gaussian(100, 100 + s);
      const ends = (norm(p) + norm(q)) / 2;
      lerpRatio += norm(lerp(p, q, 0.5)) / ends / 20;
      slerpRatio += norm(slerp(p, q, 0.5)) / ends / 20;
    }
    expect(lerpRatio).toBeLessThan(0.8);
    expect(lerpRatio).toBeGreaterThan(0.6);
    expect(slerpRatio).toBeGreaterThan(0.97);
    expect(slerpRatio).toBeLessThan(1.03);
    // With equal norms every slerp frame keeps the norm exactly.
    const p = gaussian(100, 5);
    const q = gaussian(100, 6);
    const scale = norm(p) / norm(q);
    const q2 = Float32Array.from(q, (v) => v * scale);
    for (const t of [0.2, 0.5, 0.8]) expect(norm(slerp(p, q2, t)) / norm(p)).toBeCloseTo(1, 4);
  });

  it('should fall back to lerp for colinear or zero endpoints', () => {
    const twice = Float32Array.from(a, (v) => 2 * v);
    const opposite = Float32Array.from(a, (v) => -v);
    const zero = new Float32Array(100);
    for (const other of [twice, opposite, zero, a]) {
      const frame = slerp(a, other, 0.3);
      expect(frame.every(Number.isFinite)).toBe(true);
      close(frame, lerp(a, other, 0.3));
    }
  });

  it('should refuse vectors of different lengths', () => {
    expect(() => slerp(a, new Float32Array(3), 0.5)).toThrow(/lengths 100 and 3/);
  });
});

describe('paths', () => {
  const pts = [gaussian(8, 1), gaussian(8, 2), gaussian(8, 3)];

  it('should put key points every framesPerSegment frames and end on the last point', () => {
    const frames = interpolatePath(pts, { mode: 'slerp', framesPerSegment: 4 });
    expect(frames).toHaveLength(pathFrameCount(3, 4, false));
    expect(frames).toHaveLength(9);
    close(frames[0], pts[0]);
    close(frames[4], pts[1]);
    close(frames[8], pts[2]);
    close(frames[2], slerpReference(pts[0], pts[1], 0.5), 1e-4);
    close(frames[7], slerpReference(pts[1], pts[2], 0.75), 1e-4);
  });

  it('should close a loop without repeating the first point', () => {
    const frames = interpolatePath(pts, { mode: 'linear', framesPerSegment: 5, loop: true });
    expect(frames).toHaveLength(15);
    close(frames[10], pts[2]);
    close(frames[14], lerp(pts[2], pts[0], 0.8));
  });
});

describe('random walks and sweeps', () => {
  it('should be deterministic for a seed and differ between seeds', () => {
    const start = gaussian(100, 4);
    const a = randomWalk(start, 20, 0.3, 7, 'normal');
    const b = randomWalk(start, 20, 0.3, 7, 'normal');
    const c = randomWalk(start, 20, 0.3, 8, 'normal');
    expect(a).toHaveLength(21);
    close(a[0], start, 0);
    a.forEach((row, i) => close(row, b[i], 0));
    expect(Array.from(a[5])).not.toEqual(Array.from(c[5]));
  });

  it('should stay near the prior shell where a plain walk drifts outwards', () => {
    const d = 100;
    const walk = randomWalk(gaussian(d, 9), 400, 0.3, 1, 'normal');
    for (const z of walk) {
      expect(norm(z) / Math.sqrt(d)).toBeGreaterThan(0.75);
      expect(norm(z) / Math.sqrt(d)).toBeLessThan(1.25);
    }
    // Each step is a real move: about stepSize * sqrt(d) away.
    const move = norm(lerp(walk[10], walk[11], 1).map((v, i) => v - walk[10][i]));
    expect(move).toBeGreaterThan(0.15 * Math.sqrt(d));
    expect(move).toBeLessThan(0.5 * Math.sqrt(d));
    // A uniform-prior walk stays inside the box [-1, 1].
    const box = randomWalk(new Rng(3).fillUniform(new Float32Array(d), -1, 1), 200, 0.5, 2, 'uniform');
    for (const z of box) expect(z.every((v) => v >= -1 && v <= 1)).toBe(true);
  });

  it('should sweep one dimension evenly across the range and leave the others alone', () => {
    const z = gaussian(16, 2);
    const frames = dimensionSweep(z, 3, [-3, 3], 7);
    expect(frames.map((f) => f[3])).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const f of frames) for (let i = 0; i < 16; i++) if (i !== 3) expect(f[i]).toBe(z[i]);
    expect(() => dimensionSweep(z, 16, [-3, 3], 7)).toThrow(/dimensions 0..15/);
  });
});

describe('planWalk', () => {
  const points: Record<number, ResolvedPoint> = { 1: { z: gaussian(8, 1), label: 2 }, 2: { z: gaussian(8, 2), label: 5 } };
  const resolve = (e: WalkEndpoint): ResolvedPoint =>
    e.kind === 'seed' ? points[e.seed] : { z: new Float32Array(e.kind === 'z' ? e.z : []), label: null };
  const conditional = { zDim: 8, numClasses: 10, latent: 'normal' as const };

  it('should move the label linearly with z along a conditional path', () => {
    const plan = planWalk(
      {
        kind: 'path',
        endpoints: [
          { kind: 'seed', seed: 1 },
          { kind: 'seed', seed: 2 },
        ],
        mode: 'slerp',
        framesPerSegment: 4,
      },
      conditional,
      resolve,
    );
    expect(plan.frames).toHaveLength(5);
    expect(plan.keyFrames).toEqual([0, 4]);
    const mid = plan.frames[2].label!;
    expect(mid[2]).toBeCloseTo(0.5);
    expect(mid[5]).toBeCloseTo(0.5);
    expect(mid.reduce((s, v) => s + v, 0)).toBeCloseTo(1);
  });

  it('should keep z fixed and interpolate one-hot labels in a class walk', () => {
    const plan = planWalk(
      { kind: 'classes', start: { kind: 'seed', seed: 1 }, classes: [0, 3, 7], framesPerSegment: 2, loop: true },
      conditional,
      resolve,
    );
    expect(plan.frames).toHaveLength(6);
    for (const f of plan.frames) close(f.z, points[1].z, 0);
    expect(Array.from(plan.frames[1].label!).filter((v) => v > 0)).toEqual([0.5, 0.5]);
    expect(plan.frames[2].label![3]).toBe(1);
    expect(plan.frames[5].label![7]).toBeCloseTo(0.5);
    expect(plan.frames[5].label![0]).toBeCloseTo(0.5);
  });

  it('should refuse class walks on unconditional models, wrong z sizes and oversized walks', () => {
    const plain = { zDim: 8, numClasses: 0, latent: 'normal' as const };
    expect(() =>
      planWalk({ kind: 'classes', start: { kind: 'seed', seed: 1 }, classes: [0, 1], framesPerSegment: 2 }, plain, resolve),
    ).toThrow(/conditional/);
    const wrong = { kind: 'z' as const, z: [1, 2, 3] };
    expect(() => planWalk({ kind: 'path', endpoints: [wrong, wrong], mode: 'linear', framesPerSegment: 2 }, plain, resolve)).toThrow(
      /3 numbers but this model's z has 8/,
    );
    const many = Array.from({ length: 64 }, () => ({ kind: 'seed' as const, seed: 1 }));
    expect(() => planWalk({ kind: 'path', endpoints: many, mode: 'linear', framesPerSegment: 512 }, plain, resolve)).toThrow(
      /frames; the most is/,
    );
  });
});
