import path from 'node:path';
import type { ApiInput } from '../../shared/contract';
import type { ProjectSummary } from '../../shared/types';
import { FAKE_LABEL_SCHEMES } from '../../shared/types/import';
import { bar, choiceOption, endProgress, num, progressLine, required, str, UsageError } from '../args';
import type { CliCommand } from '../command';
import { note, type Session } from '../session';
import { printDataCheck } from './health';

/** What `ganvas new` and `demo` print about a new project. */
export function describeCreated(summary: ProjectSummary): void {
  const m = summary.config.model;
  console.log(`Created ${summary.dir}`);
  console.log(
    `  ${m.arch?.family ?? 'paper'} net; ` +
      (summary.config.dataset.source.kind === 'none' ? 'no dataset, ' : `dataset ${summary.config.dataset.count} images `) +
      `${m.size}x${m.size}x${m.channels}` +
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

/** Runs an import-like call with its progress on stderr (a bar for images, a line per stage). */
export async function withImportProgress<T>(session: Session, work: () => Promise<T>): Promise<T> {
  let lastStage = '';
  const off = await session.on('import.progress', ({ done, total, stage }) => {
    if (total > 0) return progressLine(`Importing ${bar(done, total)} ${done}/${total}`, done / total);
    if (stage && stage !== lastStage) note((lastStage = stage));
  });
  try {
    return await work();
  } finally {
    off();
    endProgress();
  }
}

/** Creates a project with an import progress bar on stderr. */
export function createWithProgress(session: Session, input: ApiInput<'createProject'>, flags: Record<string, string> = {}) {
  return withImportProgress(session, () => session.call('createProject', input, flags));
}

type DatasetInput = ApiInput<'createProject'>['dataset'];

/** `--dataset mnist|fashion-mnist|<folder>` (+ `--crop N` for a folder). */
export function datasetFlag(raw: string, crop: number | undefined): DatasetInput {
  if (raw === 'mnist' || raw === 'fashion-mnist') {
    if (crop !== undefined) throw new UsageError('--crop applies to an image folder, not a bundled dataset');
    return { kind: raw };
  }
  return { kind: 'folder', path: path.resolve(raw), ...(crop !== undefined && { crop }) };
}

/** `on` / `off` flags of the architecture options; absent stays the family's own choice. */
function onOff(name: string, raw: unknown): boolean | undefined {
  const v = choiceOption(name, raw, ['on', 'off'] as const);
  return v === undefined ? undefined : v === 'on';
}

export const newCommand: CliCommand = {
  name: 'new',
  summary: 'create a project and import its dataset (a folder: png/jpg/webp, class sub-folders give labels)',
  usage:
    'new <dir> --dataset mnist|fashion-mnist|<folder> [--crop N] [--preset mnist|small32|paper64|large128|pytorch-gan-mnist|montage128|mlp-mnist] ' +
    '[--size 28|32|64|128] [--channels 1|3] [--z 100] [--ngf 64 --ndf 64] [--conv-bias on|off] [--g-batchnorm on|off] [--d-batchnorm on|off] [--d-global-pool] ' +
    '[--conditional] [--fake-labels real|random] [--latent normal|uniform] [--batch 64] [--lr 0.0002] [--beta1 0.5] [--ema 0.999] [--seed N] [--name TEXT] ' +
    '[--sample-every 100] [--checkpoint-every 200] [--checkpoint-minutes 2] [--keep-last 5] [--keep-every 5]',
  positionals: ['dir'],
  options: {
    dataset: { type: 'string' },
    crop: { type: 'string' },
    preset: { type: 'string' },
    'conv-bias': { type: 'string' },
    'g-batchnorm': { type: 'string' },
    'd-batchnorm': { type: 'string' },
    'd-global-pool': { type: 'boolean' },
    'fake-labels': { type: 'string' },
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
    ema: { type: 'string' },
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
    const architecture = {
      convBias: onOff('conv-bias', v['conv-bias']),
      gBatchNorm: onOff('g-batchnorm', v['g-batchnorm']),
      dBatchNorm: onOff('d-batchnorm', v['d-batchnorm']),
      dGlobalPool: v['d-global-pool'] === true ? true : undefined,
    };
    const summary = await createWithProgress(
      session,
      {
        dir: positionals[0],
        dataset: datasetFlag(dataset, num('crop', v.crop)),
        preset: str(v.preset),
        ...(Object.values(architecture).some((x) => x !== undefined) && { architecture }),
        fakeLabels: choiceOption('fake-labels', v['fake-labels'], FAKE_LABEL_SCHEMES),
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
        emaDecay: num('ema', v.ema),
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
        emaDecay: 'ema',
        seed: 'seed',
        name: 'name',
        preset: 'preset',
        'dataset.path': 'dataset',
        'dataset.crop': 'crop',
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
