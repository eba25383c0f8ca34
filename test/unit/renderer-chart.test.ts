import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../../src-renderer/src/lib/chart/decimate';
import { emaSmooth } from '../../src-renderer/src/lib/chart/smooth';

const columns = (n: number, f: (i: number) => number) => ({
  xs: Float64Array.from({ length: n }, (_, i) => i),
  ys: Float64Array.from({ length: n }, (_, i) => f(i)),
});

describe('decimateMinMax', () => {
  it('keeps short series whole', () => {
    const { xs, ys } = columns(50, (i) => i * 2);
    expect(decimateMinMax(xs, ys, 0, 49, 100)).toEqual(Array.from(xs, (x, i) => [x, ys[i]]));
  });

  it('bounds the point count by the bucket count and keeps every extreme, in x order', () => {
    const { xs, ys } = columns(100_000, (i) => Math.sin(i / 50) + (i === 77_777 ? 5 : 0) - (i === 12_345 ? 7 : 0));
    const out = decimateMinMax(xs, ys, 0, 99_999, 500);
    expect(out.length).toBeLessThanOrEqual(500 * 4 + 2);
    expect(Math.max(...out.map((p) => p[1]))).toBe(Math.max(...ys));
    expect(Math.min(...out.map((p) => p[1]))).toBe(Math.min(...ys));
    expect(out.every((p, i) => i === 0 || p[0] > out[i - 1][0])).toBe(true);
    expect(out[0][0]).toBe(0);
    expect(out.at(-1)![0]).toBe(99_999);
  });

  it('draws only the zoomed range, plus one neighbour each side', () => {
    const { xs, ys } = columns(10_000, (i) => i);
    const out = decimateMinMax(xs, ys, 5_000, 5_010, 100);
    expect(out[0][0]).toBe(4_999);
    expect(out.at(-1)![0]).toBe(5_010);
  });

  it('returns nothing for an empty series or an empty range', () => {
    expect(decimateMinMax([], [], 0, 1, 10)).toEqual([]);
    const { xs, ys } = columns(5, (i) => i);
    expect(decimateMinMax(xs, ys, 3, 3, 10)).toEqual([]);
  });
});

describe('emaSmooth', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(Array.from(emaSmooth([1, 5, 2], 0))).toEqual([1, 5, 2]);
  });

  it('is debiased: a constant series stays constant from the first point', () => {
    for (const value of emaSmooth([3, 3, 3, 3], 0.9)) expect(value).toBeCloseTo(3, 10);
  });

  it('smooths a step towards the new level', () => {
    const out = emaSmooth([0, 0, 0, 10, 10, 10], 0.5);
    expect(out[3]).toBeGreaterThan(0);
    expect(out[3]).toBeLessThan(10);
    expect(out[5]).toBeGreaterThan(out[3]);
  });

  it('passes NaN through without poisoning later points', () => {
    const out = emaSmooth([1, Number.NaN, 1], 0.5);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 10);
  });
});
