import path from 'node:path';
import { IMPORT_ARCHS, SAMPLING_MODES } from '../../shared/types/import';
import { choiceOption, num, required, str, UsageError } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { datasetFlag, describeCreated, withImportProgress } from './new';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'a new project from a generator (and discriminator) trained in PyTorch (.pth/.pt state dict) or TF.js (model.json)',
  usage:
    'import <dir> --generator netG.pth|model.json [--discriminator netD.pth] [--arch auto|dcgan64|pytorch-gan|montage128] [--z 100] ' +
    '[--sampling eval|train] [--dataset mnist|fashion-mnist|<folder> [--crop N] [--batch 64]] [--seed N] [--name TEXT]',
  positionals: ['dir'],
  options: {
    generator: { type: 'string' },
    discriminator: { type: 'string' },
    arch: { type: 'string' },
    z: { type: 'string' },
    sampling: { type: 'string' },
    dataset: { type: 'string' },
    crop: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    name: { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const generator = required('generator', str(v.generator), 'the generator file: a .pth/.pt state dict or a TF.js model.json');
    const discriminator = str(v.discriminator);
    const dataset = str(v.dataset);
    if (!dataset && v.crop !== undefined) throw new UsageError('--crop applies to the image folder given with --dataset');
    const input = {
      dir: positionals[0],
      generator: path.resolve(generator),
      ...(discriminator && { discriminator: path.resolve(discriminator) }),
      arch: choiceOption('arch', v.arch, IMPORT_ARCHS),
      zDim: num('z', v.z),
      sampling: choiceOption('sampling', v.sampling, SAMPLING_MODES),
      ...(dataset && { dataset: datasetFlag(dataset, num('crop', v.crop)) }),
      batchSize: num('batch', v.batch),
      seed: num('seed', v.seed),
      name: str(v.name),
    };
    const flags = {
      zDim: 'z',
      batchSize: 'batch',
      seed: 'seed',
      name: 'name',
      'dataset.path': 'dataset',
      'dataset.crop': 'crop',
      generator: 'generator',
      discriminator: 'discriminator',
    };
    session.validate('importModel', input, flags);
    const summary = await withImportProgress(session, () => session.call('importModel', input, flags));
    const origin = summary.config.imported!;
    console.log(`Imported ${origin.label}: ${origin.generator}${origin.discriminator ? ` + ${origin.discriminator}` : ''}`);
    describeCreated(summary);
    console.log(
      `  sampling with ${origin.sampling === 'train' ? "the batch's BatchNorm statistics (train mode)" : 'running BatchNorm statistics (eval mode)'}` +
        ` (--sampling ${origin.sampling === 'train' ? 'eval' : 'train'} for the other)`,
    );
    for (const n of origin.notes) console.log(`  note: ${n}`);
    note(
      summary.config.dataset.source.kind === 'none'
        ? `Next: ganvas sample ${positionals[0]} --out samples.png   (walk, arith, filters and features work too)`
        : `Next: ganvas train ${positionals[0]} --steps 200`,
    );
  },
};
