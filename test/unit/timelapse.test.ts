/** Training timelapse frames and their export, decoded: sharp/pngjs for pixels, omggif, ffprobe. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import { describe, expect, it } from 'vitest';
import { encodePng, imagesToGrid } from '../../src-main/engine/sampling/grid';
import { chartScale, chartSvg, smooth } from '../../src-main/engine/timelapse/chart';
import { timelapseFrames, timelapseLayout, type TimelapseGrid } from '../../src-main/engine/timelapse/frames';
import { animationFormatOf, exportAnimation } from '../../src-main/engine/video/animation';
import type { MetricRow } from '../../src-main/shared/types';
import { tempDir } from '../helpers/projects';

const row = (step: number, dLoss: number, gLoss: number): MetricRow => ({
  step,
  epoch: step / 100,
  dLoss,
  gLoss,
  dReal: 0.5,
  dFake: 0.5,
  imagesPerSec: 100,
  backend: 'wasm',
  time: 0,
});
const metrics = Array.from({ length: 60 }, (_, i) => row((i + 1) * 5, 1.4 - i * 0.01, 0.7 + i * 0.03));

/** Grids of 4 images of 8x8 whose brightness grows with the step, as training grids would change. */
async function grids(steps: number[]): Promise<TimelapseGrid[]> {
  return Promise.all(
    steps.map(async (step) => {
      const images = new Float32Array(4 * 64).fill(-1 + step / 150);
      return { step, png: await encodePng(imagesToGrid(images, 4, 8, 1), 4) };
    }),
  );
}

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

/** Count of pixels in a frame's chart area close to a colour. */
function countColour(f: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }, x0: number, rgb: number[]) {
  let n = 0;
  for (let y = 0; y < f.height; y++)
    for (let x = x0; x < f.width; x++) {
      const p = (y * f.width + x) * 4;
      if (Math.abs(f.data[p] - rgb[0]) + Math.abs(f.data[p + 1] - rgb[1]) + Math.abs(f.data[p + 2] - rgb[2]) < 40) n++;
    }
  return n;
}

describe('training timelapse', () => {
  it('should put each grid beside the losses up to its step, with fixed axes, in step order', async () => {
    const g = await grids([300, 0, 150]);
    const layout = await timelapseLayout(g);
    expect(layout).toMatchObject({ gridWidth: 88, gridHeight: 88, chartWidth: 240, width: 328, height: 88, frames: 3 });
    const frames = await collect(timelapseFrames(g, metrics, { title: 'mnist' }));
    expect(frames.map((f) => [f.width, f.height])).toEqual([
      [328, 88],
      [328, 88],
      [328, 88],
    ]);
    // Left: the grid's own pixels (step order: 0, 150, 300 get brighter).
    const tile = (f: (typeof frames)[0]) => f.data[(12 * 328 + 12) * 4];
    expect(tile(frames[0])).toBeLessThan(tile(frames[1]));
    expect(tile(frames[1])).toBeLessThan(tile(frames[2]));
    // Right: no curve at step 0, then more of the D-loss blue as the steps advance.
    const blue = frames.map((f) => countColour(f, 88, [0x5b, 0x86, 0xf0]));
    expect(blue[1]).toBeGreaterThan(blue[0]);
    expect(blue[2]).toBeGreaterThan(blue[1]);
  });

  it('should draw only rows up to the step on axes that fit the whole run, and smooth without bias', () => {
    const scale = chartScale(metrics);
    expect(scale.maxStep).toBe(300);
    expect(scale.lo).toBeLessThan(0.7);
    expect(scale.hi).toBeGreaterThan(2.47);
    const svg = chartSvg(metrics, 50, scale, { width: 240, height: 120, smoothing: 0.8, title: 'a <b> & "c"' }, 0.5);
    expect(svg).toContain('step 50 · epoch 0.50');
    expect(svg).toContain('a &#60;b&#62; &#38; &#34;c&#34;');
    const points = [...svg.matchAll(/points="([^"]+)"/g)].map((m) => m[1].split(' ').length);
    expect(points).toEqual([10, 10, 10, 10]); // raw + smoothed, D and G: rows 5..50
    expect(smooth([2, 2, 2], 0.9)).toEqual([2, 2, 2].map(() => expect.closeTo(2, 10)));
  });

  it('should refuse an empty run and undecodable grids with clear messages', async () => {
    await expect(timelapseLayout([])).rejects.toThrow(/no sample grids .* train first/);
    const bad = [...(await grids([0])), { step: 5, png: new Uint8Array([1, 2, 3]) }];
    await expect(collect(timelapseFrames(bad, metrics))).rejects.toThrow(/grid at step 5 cannot be decoded/);
  });

  it('should export the frames as GIF, MP4 and WebM that decode to the same count and size', async () => {
    const g = await grids([0, 100, 200, 300]);
    const dir = tempDir();
    for (const ext of ['gif', 'mp4', 'webm'] as const) {
      const out = path.join(dir, `t.${ext}`);
      const r = await exportAnimation(timelapseFrames(g, metrics), { out, fps: 4, width: 328, height: 88 });
      expect(r).toMatchObject({ format: ext, frames: 4, width: 328, height: 88 });
      if (ext === 'gif') {
        const gif = new omggif.GifReader(new Uint8Array(fs.readFileSync(out)));
        expect([gif.numFrames(), gif.width, gif.height]).toEqual([4, 328, 88]);
      } else {
        const probe = execFileSync('ffprobe', [
          '-v',
          'error',
          '-count_frames',
          '-show_entries',
          'stream=width,height,nb_read_frames',
          '-of',
          'csv=p=0',
          out,
        ]);
        expect(probe.toString().trim()).toBe('328,88,4');
      }
    }
    expect(() => animationFormatOf('t.avi')).toThrow(/end the name with .gif, .mp4 or .webm/);
  });
});
