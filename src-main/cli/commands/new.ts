import path from 'node:path';
import type { ApiInput } from '../../shared/contract';
import type { ProjectSummary } from '../../shared/types';
import { bar, endProgress, num, progressLine, required, str } from '../args';
import type { CliCommand } from '../command';
import { note, type Session } from '../session';
import { printDataCheck } from './health';

/** What `ganvas new` and `demo` print about a new project. */
export function describeCreated(summary: ProjectSummary): void {
  const m = summary.config.model;
  console.log(`Created ${summary.dir}`);
  console.log(
    `  dataset ${summary.config.dataset.count} images ${m.size}x${m.size}x${m.channels}` +
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

/** Creates a project with an import progress bar on stderr. */
export async function createWithProgress(session: Session, input: ApiInput<'createProject'>, flags: Record<string, string> = {}) {
  const off = await session.on('import.progress', ({ done, total }) =>
    progressLine(`Importing ${bar(done, total)} ${done}/${total}`, total ? done / total : 1),
  );
  try {
    return await session.call('createProject', input, flags);
  } finally {
    off();
    endProgress();
  }
}

export const newCommand: CliCommand = {
  name: 'new',
  summary: 'create a project and import its dataset (a folder: png/jpg/webp, class sub-folders give labels)',
  usage:
    'new <dir> --dataset mnist|fashion-mnist|<folder> [--size 28|32|64|128] [--channels 1|3] [--z 100] [--ngf 64 --ndf 64] [--conditional] [--latent normal|uniform] [--batch 64] [--lr 0.0002] [--beta1 0.5] [--seed N] [--name TEXT] ' +
    '[--sample-every 100] [--checkpoint-every 200] [--checkpoint-minutes 2] [--keep-last 5] [--keep-every 5]',
  positionals: ['dir'],
  options: {
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
    'sample-every': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'checkpoint-minutes': { type: 'string' },
    'keep-last': { type: 'string' },
    'keep-every': { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const dataset = required('dataset', str(v.dataset), 'mnist, fashion-mnist or an image folder');
    const summary = await createWithProgress(
      session,
      {
        dir: positionals[0],
        dataset: dataset === 'mnist' || dataset === 'fashion-mnist' ? { kind: dataset } : { kind: 'folder', path: path.resolve(dataset) },
        name: str(v.name),
        size: num('size', v.size) as ApiInput<'createProject'>['size'],
        channels: num('channels', v.channels) as ApiInput<'createProject'>['channels'],
        zDim: num('z', v.z),
        ngf: num('ngf', v.ngf),
        ndf: num('ndf', v.ndf),
        conditional: v.conditional === true ? true : undefined,
        latent: str(v.latent) as ApiInput<'createProject'>['latent'],
        batchSize: num('batch', v.batch),
        learningRate: num('lr', v.lr),
        beta1: num('beta1', v.beta1),
        seed: num('seed', v.seed),
        sampleEvery: num('sample-every', v['sample-every']),
        checkpointEvery: num('checkpoint-every', v['checkpoint-every']),
        checkpointMinutes: num('checkpoint-minutes', v['checkpoint-minutes']),
        keepLast: num('keep-last', v['keep-last']),
        keepEvery: num('keep-every', v['keep-every']),
      },
      {
        size: 'size',
        channels: 'channels',
        zDim: 'z',
        ngf: 'ngf',
        ndf: 'ndf',
        latent: 'latent',
        batchSize: 'batch',
        learningRate: 'lr',
        beta1: 'beta1',
        seed: 'seed',
        name: 'name',
        'dataset.path': 'dataset',
        sampleEvery: 'sample-every',
        checkpointEvery: 'checkpoint-every',
        checkpointMinutes: 'checkpoint-minutes',
        keepLast: 'keep-last',
        keepEvery: 'keep-every',
      },
    );
    describeCreated(summary);
    // What the import's data check found (folders only): on stderr, so stdout stays the summary.
    const { dataCheck } = await session.call('healthReport', { dir: summary.dir });
    if (dataCheck) printDataCheck(dataCheck, note);
    note(`Next: ganvas train ${positionals[0]} --steps 600`);
  },
};
