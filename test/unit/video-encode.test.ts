/**
 * Video export decoded by an independent decoder: Debian's ffprobe/ffmpeg (installed by .ci/run)
 * count the frames, read the size and codec, and return the first frame's pixels.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeVideo, videoFormatOf, type RgbaFrame, type VideoFormat } from '../../src-main/engine/video/encode';
import { rgbaToI420, toRgbaFrame } from '../../src-main/engine/video/frames';
import { tempDir } from '../helpers/projects';

function probe(file: string) {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,nb_read_frames,r_frame_rate,pix_fmt',
    '-of',
    'json',
    file,
  ]);
  const s = (JSON.parse(out.toString()) as { streams: Record<string, string | number>[] }).streams[0];
  return {
    codec: s.codec_name,
    width: Number(s.width),
    height: Number(s.height),
    frames: Number(s.nb_read_frames),
    rate: s.r_frame_rate,
    pixFmt: s.pix_fmt,
  };
}

/** Frame i of a test animation: a grey ramp whose bright bar moves right, w x h RGBA. */
function frame(i: number, w: number, h: number): RgbaFrame {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = Math.abs(x - ((i * 4) % w)) < 3 ? 235 : Math.round((y / h) * 128) + 16;
      data.set([v, v, v, 255], (y * w + x) * 4);
    }
  return { data, width: w, height: h };
}

async function* frames(n: number, w: number, h: number) {
  for (let i = 0; i < n; i++) yield frame(i, w, h);
}

/** Decoded first frame as grey bytes [w*h]. */
function firstFrameGrey(file: string, w: number, h: number): Uint8Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  expect(raw.length).toBe(w * h);
  return new Uint8Array(raw);
}

describe.each<[VideoFormat, 'vp8' | 'vp9' | undefined, string]>([
  ['mp4', undefined, 'h264'],
  ['webm', undefined, 'vp8'],
  ['webm', 'vp9', 'vp9'],
])('%s export (%s)', (format, webmCodec, codec) => {
  it('should decode to the frame count, size, codec and frame rate it was given, with the right pixels', async () => {
    const out = path.join(tempDir(), `v.${format}`);
    const seen: number[] = [];
    const result = await encodeVideo(frames(24, 64, 48), {
      format,
      webmCodec,
      out,
      fps: 12,
      width: 64,
      height: 48,
      totalFrames: 24,
      onProgress: (d) => seen.push(d),
    });
    expect(result).toMatchObject({ format, codec, frames: 24, width: 64, height: 48 });
    expect(result.bytes).toBe(fs.statSync(out).size);
    expect(seen).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const p = probe(out);
    expect(p).toMatchObject({ codec, width: 64, height: 48, frames: 24, rate: '12/1', pixFmt: 'yuv420p' });
    const grey = firstFrameGrey(out, 64, 48);
    const want = frame(0, 64, 48).data;
    let err = 0;
    for (let i = 0; i < grey.length; i++) err += Math.abs(grey[i] - want[i * 4]);
    expect(err / grey.length).toBeLessThan(6); // lossy, but close at the default quality
  });

  it('should pad odd sizes to even and accept a plain array of frames', async () => {
    const out = path.join(tempDir(), `odd.${format}`);
    const list = [frame(0, 27, 13), frame(1, 27, 13), frame(2, 27, 13)];
    const result = await encodeVideo(list, { format, webmCodec, out, fps: 5, width: 27, height: 13 });
    expect([result.width, result.height, result.frames]).toEqual([28, 14, 3]);
    expect(probe(out)).toMatchObject({ width: 28, height: 14, frames: 3 });
  });

  it('should write nothing when cancelled, when a frame has the wrong size, or with no frames', async () => {
    const dir = tempDir();
    const out = path.join(dir, `c.${format}`);
    const controller = new AbortController();
    await expect(
      encodeVideo(frames(10, 32, 32), {
        format,
        out,
        fps: 10,
        width: 32,
        height: 32,
        onProgress: (d) => d === 3 && controller.abort(),
        signal: controller.signal,
      }),
    ).rejects.toThrow(/cancelled/);
    await expect(encodeVideo([frame(0, 32, 32), frame(1, 30, 32)], { format, out, fps: 10, width: 32, height: 32 })).rejects.toThrow(
      /Frame 1 is 30×32; this video is 32×32/,
    );
    await expect(encodeVideo([], { format, out, fps: 10, width: 32, height: 32 })).rejects.toThrow(/at least one frame/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('video options and frames', () => {
  it('should refuse bad options with one-line reasons', async () => {
    const out = path.join(tempDir(), 'x.mp4');
    const base = { format: 'mp4' as const, out, fps: 10, width: 8, height: 8 };
    await expect(encodeVideo([], { ...base, fps: 0 })).rejects.toThrow(/fps must be an integer in 1..60/);
    await expect(encodeVideo([], { ...base, width: 1 })).rejects.toThrow(/width must be an integer in 2..4096/);
    await expect(encodeVideo([], { ...base, quality: 120 })).rejects.toThrow(/quality must be in 0..100/);
    await expect(encodeVideo([], { ...base, format: 'avi' as VideoFormat })).rejects.toThrow(/Unknown video format 'avi'/);
    await expect(encodeVideo([], { ...base, out: '/nonexistent-folder/x.mp4' })).rejects.toThrow(/folder .* does not exist/);
    expect(videoFormatOf('a/b.MP4')).toBe('mp4');
    expect(videoFormatOf('t.webm')).toBe('webm');
    expect(videoFormatOf('t.gif')).toBeNull();
  });

  it('should map grey to exact BT.601 limited-range luma and neutral chroma, and upscale crisply', () => {
    const grey = toRgbaFrame(Uint8Array.from([0, 255, 128, 64]), 2, 2, 1, 2);
    expect([grey.width, grey.height]).toEqual([4, 4]);
    expect(Array.from(grey.data.subarray(0, 8))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
    const yuv = rgbaToI420(grey);
    expect(Array.from(yuv.subarray(0, 4))).toEqual([16, 16, 235, 235]);
    expect(Array.from(yuv.subarray(16))).toEqual(new Array(8).fill(128));
  });
});
