/**
 * `ganvas import` and `ganvas new` with the variant presets, as a user runs them: a separate
 * process, one-line errors, nothing left behind on a bad file, and an imported generator that draws
 * what PyTorch drew for the same z.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toByte } from '../../src-main/engine/sampling/grid';
import { imageFolder } from '../helpers/images';
import { tempDir } from '../helpers/projects';
import { firstCliLine } from '../helpers/cli-output';
import { runGanvas } from '../helpers/run-cli';

const root = path.resolve(import.meta.dirname, '../..');
const ganvas = (...args: string[]) => runGanvas(args);
const fixture = (f: string) => path.join(root, 'test/fixtures/import', f);
const manifest = JSON.parse(fs.readFileSync(fixture('dcgan.json'), 'utf8')) as { z: number[][]; size: number };
/** PyTorch's eval-mode G(z) for the manifest's two z, HWC per image, uint16 over [-1, 1]. */
const reference = Array.from(new Uint16Array(fs.readFileSync(fixture('dcgan-G-eval.u16')).buffer.slice(0)), (v) => -1 + (v / 65535) * 2);

let work: string;
beforeAll(() => {
  work = tempDir('ganvas-import-cli-');
});

describe('ganvas import', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(work, 'dcgan');
    const r = ganvas(
      'import',
      dir,
      '--generator',
      fixture('dcgan-netG.pth'),
      '--discriminator',
      fixture('dcgan-netD.pth'),
      '--arch',
      'dcgan64',
      '--z',
      '8',
      '--sampling',
      'eval',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Imported pytorch\/examples DCGAN: dcgan-netG\.pth \+ dcgan-netD\.pth/);
    expect(r.stdout).toMatch(/running BatchNorm statistics \(eval mode\)/);
    expect(r.stdout).toMatch(/no dataset/);
  });

  it('should draw what PyTorch drew for the same z (a walk strip through the fixture z)', () => {
    const strip = path.join(work, 'strip.png');
    const r = ganvas('walk', dir, '--z-in', fixture('dcgan.json'), '--frames', '2', '--mode', 'linear', '--scale', '1', '--out', strip);
    expect(r.status, r.stderr).toBe(0);
    const png = PNG.sync.read(fs.readFileSync(strip));
    const s = manifest.size;
    expect([png.width, png.height]).toEqual([3 * s + 4 * 2, s + 4]); // z0, midpoint, z1 with 2 px gaps
    let worst = 0;
    for (const [image, frame] of [
      [0, 0],
      [1, 2],
    ])
      for (let y = 0; y < s; y++)
        for (let x = 0; x < s; x++)
          for (let c = 0; c < 3; c++) {
            const px = png.data[((2 + y) * png.width + 2 + frame * (s + 2) + x) * 4 + c];
            worst = Math.max(worst, Math.abs(px - toByte(reference[image * s * s * 3 + (y * s + x) * 3 + c])));
          }
    expect(worst).toBeLessThanOrEqual(1); // one byte of rounding
  });

  it('should report where the weights came from and the sampling mode in info --json', () => {
    const r = ganvas('info', dir, '--json');
    expect(r.status, r.stderr).toBe(0);
    const { project } = JSON.parse(r.stdout);
    expect(project.config.imported).toMatchObject({ family: 'dcgan', generator: 'dcgan-netG.pth', sampling: 'eval' });
    expect(project.datasetStats).toBeNull();
    expect(project.checkpoints).toEqual([expect.objectContaining({ step: 0 })]);
  });

  it('should import with training images (centre-cropped, a small batch) that train further', async () => {
    const images = await imageFolder(path.join(work, 'digits'), { perClass: 6, width: 40, height: 36 });
    const target = path.join(work, 'trainable');
    const args = ['--generator', fixture('pytorch-gan-netG.pth'), '--dataset', images, '--crop', '32'];
    const tooFew = ganvas('import', target, ...args);
    expect(tooFew.stderr).toMatch(/fewer than one batch of 64: lower the batch size or add images/);
    expect(fs.existsSync(path.join(target, 'project.json'))).toBe(false);
    const r = ganvas('import', target, ...args, '--batch', '3');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pytorch-gan net; dataset 6 images 32x32x1/);
    const trained = ganvas('train', target, '--steps', '2', '--json');
    expect(trained.status, trained.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(target, 'project.json'), 'utf8')).dataset.source).toEqual({
      kind: 'folder',
      path: images,
      crop: 32,
    });
  });

  it('should refuse bad files and flags with one line, create nothing, and run nothing from a hostile pickle', () => {
    // The engine's refusals (another family, the wrong z, a missing file) are tested in
    // import-project.test.ts; here, how the CLI reports them and a usage error.
    const cases: [string[], RegExp][] = [
      [
        ['--generator', fixture('hostile-evil.pth')],
        /--generator: hostile-evil\.pth: refers to the Python object posix\.system.*nothing in it was run/,
      ],
      [['--generator', fixture('dcgan-netG.pth'), '--z', '50'], /--generator: dcgan-netG\.pth takes z of length 8, not 50/],
      [['--generator', fixture('dcgan-netG.pth'), '--arch', 'stylegan'], /--arch must be one of auto\|dcgan64\|pytorch-gan\|montage128/],
      [['--generator', fixture('dcgan-netG.pth'), '--crop', '32'], /--crop applies to the image folder given with --dataset/],
    ];
    for (const [i, [args, message]] of cases.entries()) {
      const target = path.join(work, `bad-${i}`);
      const r = ganvas('import', target, ...args);
      expect(r.status, r.stderr).toBe(2);
      // Stage lines ("Reading netG.pth") come first; the error is one line of its own.
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('ganvas import:'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(target, 'project.json'))).toBe(false);
    }
  });
});

describe('ganvas new with a variant preset and the architecture options', () => {
  it('should record the preset, the options, the fake-label scheme and the centre crop', async () => {
    const images = await imageFolder(path.join(work, 'images'), { classes: ['a', 'b'], perClass: 3, width: 48, height: 40 });
    const dir = path.join(work, 'variant');
    const r = ganvas(
      'new',
      dir,
      '--dataset',
      images,
      '--crop',
      '36',
      '--preset',
      'pytorch-gan-mnist',
      '--conditional',
      '--fake-labels',
      'random',
      '--g-batchnorm',
      'off',
      '--d-global-pool',
      '--batch',
      '2',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pytorch-gan net; dataset 6 images 32x32x1, conditional on 2 classes/);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8'));
    expect(config.dataset.source).toEqual({ kind: 'folder', path: images, crop: 36 });
    expect(config.train.fakeLabels).toBe('random');
    const { generator, discriminator } = config.model.arch;
    expect(config.model.arch.family).toBe('pytorch-gan');
    expect(generator.some((l: { batchNorm: boolean }) => l.batchNorm)).toBe(false);
    expect(discriminator.at(-1)).toMatchObject({ kind: 'linear', globalPool: true });
  });

  it('should refuse a crop of a bundled dataset and an unknown preset with one line', () => {
    const crop = ganvas('new', path.join(work, 'n1'), '--dataset', 'mnist', '--crop', '20');
    expect(crop.status).toBe(2);
    expect(crop.stderr).toMatch(/--crop applies to an image folder/);
    const preset = ganvas('new', path.join(work, 'n2'), '--dataset', 'mnist', '--preset', 'huge');
    expect(preset.status).not.toBe(0);
    expect(firstCliLine(preset.stderr)).toMatch(/--preset/);
  });
});
