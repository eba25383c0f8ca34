import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_FILE } from '../../engine/project/schema';
import { intOption, parse } from '../args';
import { newCommand } from './new';
import { sampleCommand } from './sample';
import { trainCommand } from './train';

export const demoUsage = 'demo [--dir ganvas-demo] [--steps 600] [--json]   (MNIST project, train, write a sample grid)';

/**
 * The bundled default end to end: a paper-style DCGAN on the bundled MNIST, trained for
 * --steps more steps (resuming when the folder already holds the project), then a 64-sample grid.
 */
export async function demoCommand(argv: string[]): Promise<void> {
  const { values } = parse(argv, { dir: { type: 'string' }, steps: { type: 'string' }, json: { type: 'boolean' } }, []);
  const dir = path.resolve(values.dir ?? 'ganvas-demo');
  const steps = intOption('steps', values.steps, 1) ?? 600;
  if (!fs.existsSync(path.join(dir, PROJECT_FILE))) await newCommand([dir, '--dataset', 'mnist']);
  await trainCommand([dir, '--steps', String(steps), ...(values.json ? ['--json'] : [])]);
  const out = path.join(dir, 'demo-samples.png');
  await sampleCommand([dir, '--count', '64', '--seed', '7', '--out', out]);
  process.stderr.write(`Done. Look at ${out} and ${path.join(dir, 'samples')}; run again to train further.\n`);
}
