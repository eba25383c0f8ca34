import fs from 'node:fs';
import path from 'node:path';
import { selectBackend } from '../../engine/backend/select';
import { buildGan, disposeGan } from '../../engine/models/gan';
import { checkpointSteps, readCheckpoint } from '../../engine/project/checkpoints';
import { loadProjectConfig } from '../../engine/project/project';
import { sampleBatch } from '../../engine/sampling/sampler';
import { restoreGan } from '../../engine/train/state';
import { intOption, parse, UsageError } from '../args';

export const sampleUsage = 'sample <dir> --out grid.png [--count 64] [--seed 7] [--class K] [--z-out z.json]';

export async function sampleCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { count: { type: 'string' }, seed: { type: 'string' }, class: { type: 'string' }, out: { type: 'string' }, 'z-out': { type: 'string' } },
    ['dir'],
  );
  if (!values.out) throw new UsageError('--out is required (the PNG to write)');
  const count = intOption('count', values.count, 1, 1024) ?? 64;
  const seed = intOption('seed', values.seed, 0) ?? 0;
  const classIndex = intOption('class', values.class, 0);
  const dir = path.resolve(positionals[0]);
  const config = loadProjectConfig(dir);
  if (classIndex !== undefined && config.model.numClasses === 0) throw new UsageError('--class needs a conditional project');
  await selectBackend('auto');
  const gan = buildGan(config.model, config.train);
  try {
    const step = checkpointSteps(dir).at(-1) ?? 0;
    if (step > 0) restoreGan(gan, readCheckpoint(dir, step));
    else process.stderr.write('Warning: this project has no checkpoint yet; sampling the untrained generator\n');
    const batch = await sampleBatch(gan, config.model, count, seed, classIndex);
    fs.writeFileSync(path.resolve(values.out), Buffer.from(batch.pngBase64, 'base64'));
    if (values['z-out']) {
      fs.writeFileSync(path.resolve(values['z-out']), JSON.stringify({ seed, step, z: batch.z, labels: batch.labels ?? null }));
    }
    process.stderr.write(`Wrote ${count} samples from step ${step} to ${values.out}\n`);
  } finally {
    disposeGan(gan);
  }
}
