import { describe, expect, it } from 'vitest';
import { DEFAULT_TOP_MAPS, mapsAbove, topMaps } from '../../src-renderer/src/lib/inspect/forget-pick';
import { fitScale } from '../../src-renderer/src/lib/image-fit';

describe('fitScale', () => {
  it('should enlarge by whole numbers only', () => {
    expect(fitScale(242, 242, 360)).toBe(1); // 1.49x would make pixels of unequal widths
    expect(fitScale(242, 242, 500)).toBe(2);
    expect(fitScale(28, 28, 426, 340)).toBe(12); // the walk player: height bounds it, nothing cropped
  });

  it('should shrink by the exact fraction when the image is larger than the room', () => {
    expect(fitScale(800, 400, 400)).toBe(0.5);
    expect(fitScale(100, 400, 1000, 200)).toBe(0.5);
  });

  it('should keep 1 until the image and its room are measured', () => {
    expect(fitScale(0, 0, 300)).toBe(1);
    expect(fitScale(64, 64, 0)).toBe(1);
  });
});

describe('forget map picks', () => {
  const weights = [0.1, -2, 0.9, 0.05, 0.4, 0.3, -0.1];

  it('should pick the few heaviest positive maps by default, in channel order', () => {
    expect(DEFAULT_TOP_MAPS).toBe(3);
    expect(topMaps(weights, DEFAULT_TOP_MAPS)).toEqual([2, 4, 5]);
  });

  it('should never pick a map with a negative or zero weight', () => {
    expect(topMaps([-1, 0, -0.5], 3)).toEqual([]);
    expect(topMaps(weights, 100)).toEqual([0, 2, 3, 4, 5]);
  });

  it('should pick every map above a threshold (the paper uses 0)', () => {
    expect(mapsAbove(weights, 0)).toEqual([0, 2, 3, 4, 5]);
    expect(mapsAbove(weights, 0.35)).toEqual([2, 4]);
  });
});
