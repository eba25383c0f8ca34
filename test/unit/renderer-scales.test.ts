import { describe, expect, it } from 'vitest';
import {
  centredLog,
  clampedLog,
  decadeTicks,
  paddedLinear,
  spanningLog,
  tickCount,
  ticks125,
} from '../../src-renderer/src/lib/chart/scales';

describe('chart scales', () => {
  it('pads a linear domain by a share of the span, and gives a flat series a span', () => {
    expect(paddedLinear([0, 10], [0, 100], { pad: 0.1, nice: false }).domain()).toEqual([-1, 11]);
    expect(paddedLinear([5, 5, 5], [0, 100], { pad: 0, flat: 1, nice: false }).domain()).toEqual([4, 6]);
    expect(paddedLinear([0.1, 0.9], [0, 100], { pad: 0.5, floorAtZero: true, nice: false }).domain()[0]).toBe(0);
  });

  it('ignores values that are not finite', () => {
    expect(paddedLinear([1, NaN, 3, Infinity], [0, 100], { pad: 0, nice: false }).domain()).toEqual([1, 3]);
  });

  it('spans at least a decade on a log axis, over positive values only', () => {
    const [lo, hi] = spanningLog([-1, 0, 20, 30], [100, 0]).domain();
    expect(lo).toBeLessThanOrEqual(20 / 1.5);
    expect(hi / lo).toBeGreaterThanOrEqual(10);
  });

  it('centres a single size on a log axis', () => {
    const [lo, hi] = centredLog([1000], [0, 100]).domain();
    expect(Math.sqrt(lo * hi)).toBeCloseTo(1000);
  });

  it('clamps a loss log axis so values at or below zero sit on its floor', () => {
    const y = clampedLog([0, 0.5, 2], [100, 0]);
    expect(y.domain()[0]).toBeGreaterThan(0);
    expect(y(0.000001)).toBe(100);
  });

  it('labels 1, 2 and 5 of each decade, and decades plus the data on a log x axis', () => {
    expect(ticks125([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 50])).toEqual([1, 2, 5, 10, 20, 50]);
    expect(decadeTicks([50, 20_000], [100, 5000])).toEqual([100, 1000, 5000, 10_000]);
  });

  it('asks for about one tick per spacing, at least two', () => {
    expect(tickCount(400, 80)).toBe(5);
    expect(tickCount(50, 80)).toBe(2);
  });
});
