import path from 'node:path';
import type { DatasetSource } from '../../shared/types';
import { createProject } from '../../engine/project/project';
import { bar, endProgress, intOption, numberOption, parse, progressLine, UsageError } from '../args';

export const newUsage =
  'new <dir> --dataset mnist|fashion-mnist|<folder> [--size 28|32|64|128] [--channels 1|3] [--z 100] [--ngf 64 --ndf 64] [--conditional] [--latent normal|uniform] [--batch 64] [--lr 0.0002] [--beta1 0.5] [--seed N] [--name TEXT]';

export async function newCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      dataset: { type: 'string' },
      size: { type: 'string' },
      channels: { type: 'string' },
      z: { type: 'string' },
      ngf: { type: 'string' },
      ndf: { type: 'string' },
      conditional: { type: 'boolean' },
      latent: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      beta1: { type: 'string' },
      seed: { type: 'string' },
      name: { type: 'string' },
    },
    ['dir'],
  );
  if (!values.dataset) throw new UsageError('--dataset is required (mnist, fashion-mnist or an image folder)');
  const dataset: DatasetSource =
    values.dataset === 'mnist' || values.dataset === 'fashion-mnist'
      ? { kind: values.dataset }
      : { kind: 'folder', path: path.resolve(values.dataset) };
  const size = intOption('size', values.size, 28, 128);
  if (size !== undefined && ![28, 32, 64, 128].includes(size)) throw new UsageError(`--size must be 28, 32, 64 or 128, got ${size}`);
  const channels = intOption('channels', values.channels, 1, 3);
  if (channels === 2) throw new UsageError('--channels must be 1 or 3');
  if (values.latent !== undefined && values.latent !== 'normal' && values.latent !== 'uniform') {
    throw new UsageError(`--latent must be normal or uniform, got '${values.latent}'`);
  }
  const summary = await createProject({
    dir: positionals[0],
    dataset,
    name: values.name,
    size: size as 28 | 32 | 64 | 128 | undefined,
    channels: channels as 1 | 3 | undefined,
    zDim: intOption('z', values.z, 2, 1024),
    ngf: intOption('ngf', values.ngf, 4, 512),
    ndf: intOption('ndf', values.ndf, 4, 512),
    conditional: values.conditional,
    latent: values.latent as 'normal' | 'uniform' | undefined,
    batchSize: intOption('batch', values.batch, 2, 1024),
    learningRate: numberOption('lr', values.lr, 1e-7, 1),
    beta1: numberOption('beta1', values.beta1, 0, 0.999),
    seed: intOption('seed', values.seed, 0),
    onProgress: (done, total) => progressLine(`Importing ${bar(done, total)} ${done}/${total}`, total ? done / total : 1),
  });
  endProgress();
  const { config } = summary;
  const m = config.model;
  console.log(`Created ${summary.dir}`);
  console.log(
    `  dataset ${config.dataset.count} images ${m.size}x${m.size}x${m.channels}` +
      (m.numClasses ? `, conditional on ${m.numClasses} classes` : '') +
      `; G ${summary.generator.trainableParams.toLocaleString('en')} / D ${summary.discriminator.trainableParams.toLocaleString('en')} parameters`,
  );
  const skipped = summary.importReport?.skipped ?? [];
  if (skipped.length) {
    console.log(`  skipped ${skipped.length} file(s):`);
    for (const s of skipped.slice(0, 20)) console.log(`    ${s.file}: ${s.reason}`);
    if (skipped.length > 20) console.log(`    ... and ${skipped.length - 20} more (see import-report.json)`);
  }
}
