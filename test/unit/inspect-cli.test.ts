/** The inspect commands as a user runs them: PNGs written, one-line errors. */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/projects';
import { firstCliLine } from '../helpers/cli-output';
import { runGanvas } from '../helpers/run-cli';

const ganvas = (...args: string[]) => runGanvas(args);
const isPng = (file: string) => fs.readFileSync(file).subarray(1, 4).toString() === 'PNG';

let dir: string;
let out: string;

beforeAll(() => {
  out = tempDir();
  dir = path.join(out, 'p');
  const r = ganvas('new', dir, '--dataset', 'mnist', '--ngf', '8', '--ndf', '8', '--z', '16', '--batch', '16', '--seed', '3');
  expect(r.status, r.stderr).toBe(0);
  expect(ganvas('train', dir, '--steps', '4').status).toBe(0);
});

describe('ganvas filters / features / guided / forget', () => {
  it('should write the PNGs of each view', () => {
    const f = ganvas('filters', dir, '--layer', 'd2', '--out', path.join(out, 'f.png'));
    expect(f.status, f.stderr).toBe(0);
    expect(f.stderr).toMatch(/D's d2 kernels \(4x4, outputs 0-15 x inputs 0-7, step 4\)/);
    expect(isPng(path.join(out, 'f.png'))).toBe(true);

    const maps = ganvas('features', dir, '--out-dir', path.join(out, 'maps'), '--seed', '1', '--index', '2');
    expect(maps.status, maps.stderr).toBe(0);
    expect(fs.readdirSync(path.join(out, 'maps')).sort()).toEqual([
      'D-d1.png',
      'D-d2.png',
      'G-g0.png',
      'G-g1.png',
      'G-g2.png',
      'sample.png',
    ]);

    const top = ganvas(
      'features',
      dir,
      '--layer',
      'd1',
      '--channel',
      '2',
      '--top',
      '4',
      '--pool',
      '20',
      '--out',
      path.join(out, 'top.png'),
    );
    expect(top.status, top.stderr).toBe(0);
    expect(JSON.parse(top.stdout).items).toHaveLength(4);

    const guided = ganvas('guided', dir, '--channel', '0', '--top', '3', '--pool', '20', '--out', path.join(out, 'g.png'));
    expect(guided.status, guided.stderr).toBe(0);
    expect(isPng(path.join(out, 'g.png'))).toBe(true);

    const forget = ganvas('forget', dir, '--drop', '1,3', '--count', '4', '--out', path.join(out, 'forget.png'));
    expect(forget.status, forget.stderr).toBe(0);
    expect(forget.stderr).toMatch(/Dropped 2 of g1's maps \(1,3\)/);
  });

  it('should answer bad arguments with one line', () => {
    for (const [args, message] of [
      [['filters', dir, '--out', 'x.png'], /--layer is required/],
      [['filters', dir, '--layer', 'g0', '--out', path.join(out, 'x.png')], /no spatial kernels/],
      [['forget', dir, '--out', path.join(out, 'x.png')], /no boxes/],
      [['guided', dir, '--channel', '99', '--out', path.join(out, 'x.png')], /channels 0..15/],
    ] as const) {
      const r = ganvas(...args);
      expect(r.status).not.toBe(0);
      expect(firstCliLine(r.stderr)).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
