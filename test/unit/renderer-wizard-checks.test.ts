import { describe, expect, it } from 'vitest';
import { isAbsolutePath, pathProblem, presetAdvice } from '../../src-renderer/src/lib/wizard-checks';
import type { DataCheckReport, PresetInfo } from '../../src-main/shared/types';

const preset = (id: string, size: number, channels: 1 | 3) => ({ id, label: id, model: { size, channels } }) as PresetInfo;
const presets = [preset('mnist', 28, 1), preset('small32', 32, 3), preset('paper64', 64, 3), preset('large128', 128, 3)];
const report = (grey: number, colour: number, shortSide?: number) =>
  ({ images: grey + colour, grey, colour, ...(shortSide !== undefined && { shortSide }) }) as DataCheckReport;

describe('typed paths', () => {
  it('should take absolute paths of every desktop OS and refuse relative ones, saying why', () => {
    for (const p of ['/home/me/digits', 'C:\\Users\\me', 'd:/data', '\\\\server\\share']) expect(isAbsolutePath(p)).toBe(true);
    for (const p of ['digits', './digits', '~/digits', 'C:digits']) expect(pathProblem(p)).toMatch(/is a relative path: type the full path/);
    expect(pathProblem('')).toBeNull();
    expect(pathProblem(' /x ')).toBeNull();
  });
});

describe('preset advice', () => {
  it('should warn that 32 px colour images lose colour and shrink under MNIST, and offer the 32x32 colour preset', () => {
    const advice = presetAdvice(report(0, 40, 32), presets, presets[0]);
    expect(advice?.message).toBe(
      'These are mostly 32×32 colour images; mnist trains 28×28 greyscale, so they would lose their colour and be downscaled from 32 px to 28 px.',
    );
    expect(advice?.suggestion?.id).toBe('small32');
  });

  it('should offer the smallest colour preset that does not upscale when no preset has the size', () => {
    expect(presetAdvice(report(1, 40, 50), presets, presets[0])?.suggestion?.id).toBe('paper64');
    expect(presetAdvice(report(1, 40, 500), presets, presets[0])?.suggestion?.id).toBe('large128');
  });

  it('should offer a preset of the images’ own size when another size is chosen', () => {
    const advice = presetAdvice(report(0, 40, 64), presets, presets[1]);
    expect(advice?.message).toContain('be downscaled from 64 px to 32 px');
    expect(advice?.suggestion?.id).toBe('paper64');
  });

  it('should say nothing when the preset fits or nothing matches better', () => {
    expect(presetAdvice(report(40, 0, 28), presets, presets[0])).toBeNull();
    expect(presetAdvice(report(0, 40, 32), presets, presets[1])).toBeNull();
    // 256 px photos into 64x64 colour: downscaling is the point, and no preset is 256.
    expect(presetAdvice(report(0, 40, 256), presets, presets[2])).toBeNull();
    expect(presetAdvice(report(0, 0), presets, presets[0])).toBeNull();
  });
});
