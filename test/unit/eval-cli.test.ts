/** The eval-* CLI commands as a user runs them: a process per command, JSON on stdout. */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { FeatureEvalResult, MemorisationResult, QualityResult } from '../../src-main/shared/types/eval';
import { tinyMnistProject } from '../helpers/projects';
import { firstCliLine } from '../helpers/cli-output';
import { runGanvas } from '../helpers/run-cli';

const ganvas = (...args: string[]) => runGanvas(args, 180_000);

let dir: string;
beforeAll(async () => {
  const backend = await selectBackend('wasm');
  dir = await tinyMnistProject();
  const trainer = Trainer.open(Project.open(dir), backend);
  await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
});

describe('ganvas eval-*', () => {
  it('should print the Sec. 5.1 accuracies as JSON with --json', () => {
    const r = ganvas('eval-features', dir, '--labels', '40,20', '--test', '100', '--loss', 'logistic', '--json');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as FeatureEvalResult;
    expect(result.loss).toBe('logistic');
    expect(result.rows.map((row) => row.n)).toEqual([20, 40]);
    expect(result.rows[0].results.map((x) => x.method)).toEqual(['trained-d', 'random-d', 'pixels']);
  }, 300_000);

  it('should score the newest checkpoint and write the neighbour sheet', () => {
    const q = ganvas('eval-quality', dir, '--steps', 'latest', '--real', '200', '--fake', '200', '--classifier-steps', '20', '--json');
    expect(q.status, q.stderr).toBe(0);
    expect((JSON.parse(q.stdout) as QualityResult).evaluated).toEqual([4]);

    const sheet = path.join(path.dirname(dir), 'nn.png');
    const m = ganvas(
      'eval-memorisation',
      dir,
      '--samples',
      '16',
      '--reference',
      '200',
      '--out',
      sheet,
      '--show',
      '3',
      '--neighbours',
      '2',
      '--json',
    );
    expect(m.status, m.stderr).toBe(0);
    const result = JSON.parse(m.stdout) as MemorisationResult;
    expect(result.rows[0].step).toBe(4);
    expect(result.examples[0].byPixel[0]).not.toHaveProperty('pngBase64'); // JSON stays small
    const png = PNG.sync.read(fs.readFileSync(sheet));
    // 3 rows of (sample | 2 by pixels | 2 by D features), 28 px tiles at 3x.
    expect(png.height).toBe(4 + 3 * (84 + 4));
    expect(png.width).toBeGreaterThan(5 * 84);
  }, 300_000);

  it('should reject bad options with a one-line usage error', () => {
    const r = ganvas('eval-features', dir, '--labels', '1');
    expect(r.status).toBe(2);
    expect(firstCliLine(r.stderr)).toMatch(/^ganvas eval-features: --labels: Too small: expected number to be >=2$/);
    expect(r.stderr).toMatch(/usage: ganvas eval-features/);
    const s = ganvas('eval-memorisation', dir, '--steps', '999');
    expect(s.status).toBe(1);
    expect(s.stderr).toMatch(/no checkpoint at step 999/);
  });
});
