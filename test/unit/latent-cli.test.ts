/** `ganvas walk` as a user runs it: a separate process writing GIF, PNG and JSON walks. */
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, tinyMnistProject } from '../helpers/projects';
import { runGanvas } from '../helpers/run-cli';

const ganvas = (...args: string[]) => runGanvas(args);

let dir: string;
let out: string;

beforeAll(async () => {
  dir = await tinyMnistProject();
  out = tempDir();
});

describe('ganvas walk', () => {
  it('should write a looping slerp GIF through seeds, and the same frames every time', () => {
    const gif = path.join(out, 'walk.gif');
    const r = ganvas(
      'walk',
      dir,
      '--seeds',
      '1,2,3',
      '--frames',
      '4',
      '--mode',
      'slerp',
      '--loop',
      '--out',
      gif,
      '--z-out',
      path.join(out, 'walk.json'),
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote 12 frames 112x112 from step 0/);
    const reader = new omggif.GifReader(new Uint8Array(fs.readFileSync(gif)));
    expect([reader.numFrames(), reader.width, reader.height, reader.loopCount(), reader.frameInfo(0).delay]).toEqual([12, 112, 112, 0, 8]);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'walk.json'), 'utf8'));
    expect(json.frames).toHaveLength(12);
    const again = path.join(out, 'again.gif');
    expect(ganvas('walk', dir, '--seeds', '1,2,3', '--frames', '4', '--loop', '--out', again).status).toBe(0);
    expect(fs.readFileSync(again).equals(fs.readFileSync(gif))).toBe(true);
  });

  it('should take explicit endpoints from --z-in (what sample --z-out writes) and write a PNG strip', () => {
    const zFile = path.join(out, 'z.json');
    expect(ganvas('sample', dir, '--count', '2', '--seed', '5', '--out', path.join(out, 'grid.png'), '--z-out', zFile).status).toBe(0);
    const strip = path.join(out, 'strip.png');
    const r = ganvas('walk', dir, '--z-in', zFile, '--frames', '3', '--mode', 'linear', '--scale', '1', '--out', strip);
    expect(r.status, r.stderr).toBe(0);
    const png = PNG.sync.read(fs.readFileSync(strip));
    expect([png.width, png.height]).toEqual([4 * 28 + 5 * 2, 28 + 4]);
  });

  it('should answer bad arguments with one line and a non-zero exit', () => {
    for (const [args, message] of [
      [['--seeds', '1', '--out', 'x.gif'], /at least two endpoints/],
      [['--seeds', '1,2', '--out', 'x.bmp'], /cannot tell the format/],
      [['--seeds', '1,2', '--z-in', 'z.json', '--out', 'x.gif'], /exactly one of --seeds, --z-in or --samples/],
      [['--seeds', '1,2', '--mode', 'cubic', '--out', 'x.gif'], /--mode must be one of slerp\|linear/],
      [['--seeds', '1', '--classes', '0,1', '--out', 'x.gif'], /--classes needs a conditional project/],
    ] as const) {
      const r = ganvas('walk', dir, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
