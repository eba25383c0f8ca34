/**
 * `ganvas invert`, `directions`, `timelapse` and `excite` as a user runs them: separate processes
 * on a tiny MNIST project trained for 10 steps, their outputs decoded and checked.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, tinyMnistProject } from '../helpers/projects';
import { runGanvas } from '../helpers/run-cli';

const ganvas = (...args: string[]) => runGanvas(args, 180_000);
const hasFfprobe = spawnSync('ffprobe', ['-version']).status === 0;

/** Frames, codec and size of a video, as Debian's ffprobe decodes it. */
function probe(file: string): { codec: string; width: number; height: number; frames: number } {
  const r = spawnSync(
    'ffprobe',
    ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', file],
    {
      encoding: 'utf8',
    },
  );
  const s = JSON.parse(r.stdout).streams[0];
  return { codec: s.codec_name, width: s.width, height: s.height, frames: Number(s.nb_read_frames) };
}

let dir: string;
let out: string;

beforeAll(() => {
  return (async () => {
    dir = await tinyMnistProject();
    out = tempDir();
    const trained = ganvas('train', dir, '--steps', '10');
    expect(trained.status, trained.stderr).toBe(0);
  })();
}, 200_000);

describe('ganvas invert', () => {
  const invert = (...args: string[]) => ganvas('invert', dir, '--steps', '20', '--restarts', '2', '--seed', '3', ...args);

  it('should write the reconstruction, z, the optimisation as a GIF and a gallery entry usable as a walk endpoint', () => {
    const recon = path.join(out, 'recon.png');
    const zFile = path.join(out, 'z.json');
    const gif = path.join(out, 'progress.gif');
    const r = invert('--dataset', '3', '--out', recon, '--z-out', zFile, '--gif', gif, '--save', 'digit three');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Projected dataset image 3 .* in 20 steps .*pixel RMSE \d\.\d{4}/);
    const facts = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(facts.step).toBe(10);
    const png = PNG.sync.read(fs.readFileSync(recon));
    expect([png.width, png.height]).toEqual([28, 28]);
    const z = JSON.parse(fs.readFileSync(zFile, 'utf8'));
    expect(z.z[0]).toHaveLength(16);
    expect(z.pixelError).toBeCloseTo(facts.pixelError, 10);
    // [original | reconstruction] side by side, upscaled: more than one frame of the optimisation.
    const reader = new omggif.GifReader(new Uint8Array(fs.readFileSync(gif)));
    expect(reader.numFrames()).toBeGreaterThan(1);
    expect(reader.width).toBeGreaterThan(reader.height);

    const gallery = JSON.parse(fs.readFileSync(path.join(dir, 'gallery.json'), 'utf8'));
    const entry = gallery.samples.find((s: { name: string }) => s.name === 'digit three');
    expect(entry.z).toEqual(z.z[0]);
    expect(entry.projection).toMatchObject({ version: 1, step: 10, pixelError: facts.pixelError });
    expect(PNG.sync.read(Buffer.from(entry.projection.sourcePng, 'base64')).width).toBe(28);

    // Projecting the reconstruction back (G's own image) with the same seed is deterministic and
    // a walk takes the gallery entry and z.json as endpoints like any sample.
    const first = invert('--image', recon, '--out', path.join(out, 'again1.png'), '--z-out', path.join(out, 'again1.json'));
    const second = invert('--image', recon, '--out', path.join(out, 'again2.png'), '--z-out', path.join(out, 'again2.json'));
    expect([first.status, second.status], first.stderr + second.stderr).toEqual([0, 0]);
    const zOf = (f: string) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')).z[0];
    expect(zOf('again1.json')).toEqual(zOf('again2.json'));
    const walk = ganvas('walk', dir, '--samples', 'digit three,digit three', '--frames', '3', '--out', path.join(out, 'walk.gif'));
    expect(walk.status, walk.stderr).toBe(0);
  });

  it('should answer bad arguments and unreadable images with one line and a non-zero exit', () => {
    for (const [args, status, message] of [
      [['--out', 'x.png'], 2, /exactly one of --image, --dataset or --sample/],
      [['--dataset', '0', '--steps', '0', '--out', 'x.png'], 2, /--steps: .*>=1/],
      [['--image', path.join(out, 'missing.png'), '--out', 'x.png'], 1, /There is no image file/],
      [['--image', path.join(dir, 'project.json'), '--out', 'x.png'], 2, /not an image/],
      [['--sample', 'nobody', '--out', 'x.png'], 2, /no saved sample with id or name 'nobody'/],
    ] as const) {
      const r = invert(...args);
      expect(r.status, r.stderr).toBe(status);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('ganvas directions', () => {
  it('should write orthonormal directions ranked by explained variance, a sheet with a row each, and save them', () => {
    const file = path.join(out, 'dirs.json');
    const sheet = path.join(out, 'sheet.png');
    const r = ganvas('directions', dir, '--count', '4', '--samples', '200', '--out', file, '--sheet', sheet, '--columns', '5', '--save');
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const vectors: number[][] = json.directions.map((d: { vector: number[] }) => d.vector);
    expect(vectors).toHaveLength(4);
    for (const [i, a] of vectors.entries()) {
      for (const [j, b] of vectors.entries()) expect(a.reduce((s, v, k) => s + v * b[k], 0)).toBeCloseTo(i === j ? 1 : 0, 4);
    }
    const explained: number[] = json.directions.map((d: { explainedVariance: number }) => d.explainedVariance);
    expect(explained).toEqual([...explained].sort((x, y) => y - x));
    const png = PNG.sync.read(fs.readFileSync(sheet));
    // 4 rows and 5 columns of 28 px tiles with thin gaps, upscaled 2x (64 / 28 rounded).
    const tile = 2 * 28;
    expect(png.width >= 5 * tile && png.width < 6 * tile, `width ${png.width}`).toBe(true);
    expect(png.height >= 4 * tile && png.height < 5 * tile, `height ${png.height}`).toBe(true);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'directions.json'), 'utf8'));
    expect(saved.directions.map((d: { name: string }) => d.name)).toEqual([
      'PC1 (step 10)',
      'PC2 (step 10)',
      'PC3 (step 10)',
      'PC4 (step 10)',
    ]);

    const bad = ganvas('directions', dir, '--count', '0', '--out', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--count: /);
  });
});

describe('ganvas timelapse', () => {
  it('should write one frame per saved grid as a GIF and as an MP4 that decodes', () => {
    const grids = fs.readdirSync(path.join(dir, 'samples')).filter((f) => f.endsWith('.png')).length;
    const gif = path.join(out, 't.gif');
    const r = ganvas('timelapse', dir, '--out', gif, '--fps', '4');
    expect(r.status, r.stderr).toBe(0);
    const reader = new omggif.GifReader(new Uint8Array(fs.readFileSync(gif)));
    expect(reader.numFrames()).toBe(grids);
    // The grid beside the loss chart: wider than tall.
    expect(reader.width).toBeGreaterThan(reader.height);

    const mp4 = path.join(out, 't.mp4');
    expect(ganvas('timelapse', dir, '--out', mp4).status).toBe(0);
    if (hasFfprobe) expect(probe(mp4)).toEqual({ codec: 'h264', width: reader.width, height: reader.height, frames: grids });

    const bad = ganvas('timelapse', dir, '--out', path.join(out, 't.avi'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/end the name with .gif, .mp4 or .webm/);
    expect(fs.existsSync(path.join(out, 't.avi'))).toBe(false);
  });
});

describe('ganvas excite', () => {
  it("should write the optimised input for one of D's feature maps and report its activation", () => {
    const file = path.join(out, 'excite.png');
    const r = ganvas('excite', dir, '--layer', 'd1', '--channel', '2', '--steps', '15', '--restarts', '2', '--scale', '1', '--out', file);
    expect(r.status, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect([facts.net, facts.layer, facts.channel]).toEqual(['D', 'd1', 2]);
    expect(Number.isFinite(facts.activation)).toBe(true);
    const png = PNG.sync.read(fs.readFileSync(file));
    expect([png.width, png.height]).toEqual([28, 28]);
  });
});
