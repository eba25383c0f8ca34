/** Walk exports decoded by independent readers: omggif for GIFs, pngjs for PNG strips. */
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { GifWriter, globalPalette } from '../../src-main/engine/latent/export/gif';
import { upscaleNearest } from '../../src-main/engine/latent/export/pixels';
import { playbackOrder, WalkExport, type ExportSource } from '../../src-main/engine/latent/export/walk-export';
import { planWalk } from '../../src-main/engine/latent/plan';
import { toByte } from '../../src-main/engine/sampling/grid';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import type { WalkExportOptions, WalkSpec } from '../../src-main/shared/types';
import { tempDir } from '../helpers/projects';

/** A stand-in G: pixel (y, x, c) = tanh(z0 * x / S + z1 * y / S + c * z2): smooth, varied, z-dependent. */
function fakeSource(channels: 1 | 3, size = 8): ExportSource & { renders: number; render(frames: { z: Float32Array }[]): Float32Array } {
  const model = defaultModelConfig({ size: 28, channels, zDim: 4 });
  model.size = size as 28; // a tiny image keeps the test fast; only the byte layout matters here
  const source = {
    model,
    projectName: 'fake',
    step: 12,
    renders: 0,
    render(frames: { z: Float32Array }[]) {
      source.renders++;
      const out = new Float32Array(frames.length * size * size * channels);
      frames.forEach((f, n) => {
        for (let y = 0; y < size; y++)
          for (let x = 0; x < size; x++)
            for (let c = 0; c < channels; c++)
              out[((n * size + y) * size + x) * channels + c] = Math.tanh((f.z[0] * x) / size + (f.z[1] * y) / size + c * f.z[2]);
      });
      return out;
    },
  };
  return source;
}

const spec: WalkSpec = {
  kind: 'path',
  endpoints: [
    { kind: 'z', z: [-2, 1, 0.5, 0] },
    { kind: 'z', z: [2, -1, -0.5, 0] },
    { kind: 'z', z: [0, 2, 1, 0] },
  ],
  mode: 'slerp',
  framesPerSegment: 5,
};

async function runExport(source: ExportSource, opts: WalkExportOptions) {
  const planned = planWalk(spec, source.model, (e) => ({ z: Float32Array.from(e.kind === 'z' ? e.z : []), label: null }));
  const job = new WalkExport(source, spec, planned, opts);
  const seen: number[] = [];
  for (;;) {
    const p = await job.step();
    seen.push(p.done / p.total);
    if (p.result) return { result: p.result, planned, progress: seen };
  }
}

describe('GIF export', () => {
  it('should decode to the right frame count, size, delay and endless loop, with exact grey pixels', async () => {
    const source = fakeSource(1);
    const out = path.join(tempDir(), 'walk.gif');
    const { result, planned, progress } = await runExport(source, { format: 'gif', out, fps: 10, scale: 3 });
    expect(planned.frames).toHaveLength(11);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const gif = new omggif.GifReader(new Uint8Array(fs.readFileSync(out)));
    expect(gif.numFrames()).toBe(11);
    expect([gif.width, gif.height]).toEqual([24, 24]);
    expect([result.width, result.height, result.frames]).toEqual([24, 24, 11]);
    expect(gif.loopCount()).toBe(0);
    for (let i = 0; i < 11; i++) expect(gif.frameInfo(i).delay).toBe(10); // 1/100 s units: 10 fps
    // Grey frames use all 256 grey levels: the decoded GIF equals the rendered frame exactly.
    const images = await source.render(planned.frames);
    const pixels = new Uint8Array(24 * 24 * 4);
    for (const i of [0, 4, 10]) {
      gif.decodeAndBlitFrameRGBA(i, pixels);
      for (let y = 0; y < 24; y++)
        for (let x = 0; x < 24; x++) {
          const expected = toByte(images[(i * 8 + Math.floor(y / 3)) * 8 + Math.floor(x / 3)]);
          expect(pixels[(y * 24 + x) * 4]).toBe(expected);
        }
    }
  });

  it('should ping-pong without repeating the ends and quantize colour to a close global palette', async () => {
    const source = fakeSource(3);
    const out = path.join(tempDir(), 'walk.gif');
    await runExport(source, { format: 'gif', out, fps: 25, scale: 1, pingPong: true });
    const gif = new omggif.GifReader(new Uint8Array(fs.readFileSync(out)));
    expect(gif.numFrames()).toBe(11 + 9);
    expect(gif.frameInfo(0).delay).toBe(4);
    expect(gif.frameInfo(0).has_local_palette).toBe(false);
    const a = new Uint8Array(8 * 8 * 4);
    const b = new Uint8Array(8 * 8 * 4);
    gif.decodeAndBlitFrameRGBA(9, a); // frame 9 going forwards...
    gif.decodeAndBlitFrameRGBA(11, b); // ...is frame 11 coming back
    expect(Array.from(a)).toEqual(Array.from(b));
    // Mean colour error after quantization stays small.
    const planned = planWalk(spec, source.model, (e) => ({ z: Float32Array.from(e.kind === 'z' ? e.z : []), label: null }));
    const images = await source.render(planned.frames);
    gif.decodeAndBlitFrameRGBA(3, a);
    let err = 0;
    for (let p = 0; p < 64; p++) for (let c = 0; c < 3; c++) err += Math.abs(a[p * 4 + c] - toByte(images[(3 * 64 + p) * 3 + c]));
    expect(err / (64 * 3)).toBeLessThan(6);
  });

  it('should write a GIF a frame at a time from any palette', () => {
    const frames = [new Uint8Array([0, 0, 0, 255, 255, 255, 10, 200, 30, 90, 90, 90])];
    const palette = globalPalette(frames, 3);
    const writer = new GifWriter({ width: 2, height: 2, channels: 3, scale: 2, fps: 12, palette });
    writer.addFrame(frames[0]);
    const gif = new omggif.GifReader(writer.finish());
    expect([gif.width, gif.height, gif.numFrames()]).toEqual([4, 4, 1]);
    expect(gif.frameInfo(0).delay).toBe(8); // 83 ms rounds to 8/100 s
    const px = new Uint8Array(64);
    gif.decodeAndBlitFrameRGBA(0, px);
    expect(Array.from(px.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(px.subarray(8, 11))).toEqual([255, 255, 255]);
  });
});

describe('other exports', () => {
  it('should write a PNG strip of all frames, upscaled with nearest neighbour', async () => {
    const out = path.join(tempDir(), 'strip.png');
    const { result } = await runExport(fakeSource(1), { format: 'png-strip', out, fps: 12, scale: 2 });
    const png = PNG.sync.read(fs.readFileSync(out));
    // 11 frames of 8 px with 2 px gaps around, doubled.
    expect([png.width, png.height]).toEqual([(11 * 8 + 12 * 2) * 2, (8 + 2 * 2) * 2]);
    expect([result.width, result.height]).toEqual([png.width, png.height]);
  });

  it('should write the frames as JSON without rendering anything', async () => {
    const source = fakeSource(1);
    const out = path.join(tempDir(), 'walk.json');
    const { result } = await runExport(source, { format: 'json', out, fps: 12, scale: 1, pingPong: true });
    expect(source.renders).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(json.format).toBe('ganvas-walk');
    expect(json.step).toBe(12);
    expect(json.frames).toHaveLength(20);
    expect(result.frames).toBe(20);
    expect(json.frames[0].z).toEqual([-2, 1, 0.5, 0]);
    expect(json.frames[10].z.map((v: number) => +v.toFixed(5))).toEqual([0, 2, 1, 0]);
    expect(json.frames[19]).toEqual(json.frames[1]);
  });

  it('should refuse a folder that does not exist', () => {
    const source = fakeSource(1);
    const planned = planWalk(spec, source.model, (e) => ({ z: Float32Array.from(e.kind === 'z' ? e.z : []), label: null }));
    expect(() => new WalkExport(source, spec, planned, { format: 'gif', out: '/no/such/dir/w.gif', fps: 12, scale: 1 })).toThrow(
      /folder \/no\/such\/dir does not exist/,
    );
  });

  it('should order ping-pong frames and upscale by blocks', () => {
    expect(playbackOrder(4, true)).toEqual([0, 1, 2, 3, 2, 1]);
    expect(playbackOrder(2, true)).toEqual([0, 1]);
    expect(Array.from(upscaleNearest(new Uint8Array([1, 2, 3, 4]), 2, 2, 1, 2))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
});
