import path from 'node:path';
import { errorCode } from '../../shared/errors';
import { num, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { createWithProgress, describeCreated } from './new';
import { writeSampleGrid } from './sample';
import { trainProject } from './train';

/** The demo's defaults; README's demo paragraph quotes them (a unit test keeps the two in step). */
export const DEMO_DEFAULTS = {
  dir: 'ganvas-demo',
  /** The paper's MNIST net with the paper's Adam (lr 2e-4, beta1 0.5), batch 64... */
  preset: 'mnist',
  /**
   * ...at half its width (G 64 -> 32 channels in its last hidden layer, D 64 -> 32 in its first;
   * conditional: G 378,432 / D 41,664 parameters): a step costs half the CPU time, so twice the steps fit
   * about the same time (~9 minutes on 2 cores), and measured at equal time that reads better than the full width
   * (docs/training-speed.md#how-the-recipe-was-chosen).
   */
  ngf: 32,
  ndf: 32,
  /**
   * Class-conditional, as the DCGAN authors' own MNIST code (a one-hot label into G and D): the grid
   * asks for each digit in turn, and a G told the class draws it far more readably after 2 epochs
   * than one that must also choose it (docs/training-speed.md#the-demo).
   */
  conditional: true,
  /** Samples from a moving average of G's weights (engine/train/ema.ts). */
  emaDecay: 0.999,
  /** 4.6 epochs of MNIST's 70,000 images at batch 64 (README: wall time and readability; docs/training-speed.md#the-demo). */
  steps: 5000,
  /** The final grid: 64 samples from this seed (test/bench/demo-quality.ts scores the same ones). */
  gridCount: 64,
  gridSeed: 7,
} as const;

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'the bundled default end to end: an MNIST DCGAN, trained, and a 64-sample grid (run again to train further)',
  usage: `demo [--dir ${DEMO_DEFAULTS.dir}] [--steps ${DEMO_DEFAULTS.steps}] [--json]`,
  options: { dir: { type: 'string' }, steps: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values: v }, session) {
    const dir = path.resolve(str(v.dir) ?? DEMO_DEFAULTS.dir);
    const steps = num('steps', v.steps) ?? DEMO_DEFAULTS.steps;
    const existing = await session.call('openProject', { dir }).catch((err: unknown) => {
      if (errorCode(err) === 'not-found') return null;
      throw err;
    });
    if (!existing) {
      const { preset, ngf, ndf, conditional, emaDecay } = DEMO_DEFAULTS;
      describeCreated(await createWithProgress(session, { dir, preset, ngf, ndf, conditional, emaDecay, dataset: { kind: 'mnist' } }));
    }
    await trainProject(session, dir, { target: { moreSteps: steps }, json: v.json === true });
    const { file } = await writeSampleGrid(session, dir, {
      out: path.join(dir, 'demo-samples.png'),
      count: DEMO_DEFAULTS.gridCount,
      seed: DEMO_DEFAULTS.gridSeed,
    });
    note(`Done. Look at ${file} (and every 100 steps' grid in ${path.join(dir, 'samples')}).`);
    note(`Open it in the app: npm run dev, then File > Open project... ${dir}. Run the demo again to train further.`);
  },
};
