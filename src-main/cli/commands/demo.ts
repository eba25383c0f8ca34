import path from 'node:path';
import { errorCode } from '../../shared/errors';
import { num, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { createWithProgress, describeCreated } from './new';
import { writeSampleGrid } from './sample';
import { trainProject } from './train';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'the bundled default end to end: an MNIST DCGAN, trained, and a 64-sample grid (run again to train further)',
  usage: 'demo [--dir ganvas-demo] [--steps 600] [--json]',
  options: { dir: { type: 'string' }, steps: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values: v }, session) {
    const dir = path.resolve(str(v.dir) ?? 'ganvas-demo');
    const steps = num('steps', v.steps) ?? 600;
    const existing = await session.call('openProject', { dir }).catch((err: unknown) => {
      if (errorCode(err) === 'not-found') return null;
      throw err;
    });
    if (!existing) describeCreated(await createWithProgress(session, { dir, dataset: { kind: 'mnist' } }));
    await trainProject(session, dir, { target: { moreSteps: steps }, json: v.json === true });
    const { file } = await writeSampleGrid(session, dir, { out: path.join(dir, 'demo-samples.png'), count: 64, seed: 7 });
    note(`Done. Look at ${file} (and every 100 steps' grid in ${path.join(dir, 'samples')}).`);
    note(`Open it in the app: npm run dev, then File > Open project... ${dir}. Run the demo again to train further.`);
  },
};
