import { num, required, str } from '../args';
import type { CliCommand } from '../command';
import { note, type Session } from '../session';

/** Writes a grid of `count` samples for `seed`; returns the checkpoint step it came from. */
export async function writeSampleGrid(
  session: Session,
  dir: string,
  opts: { out: string; count?: number; seed?: number; classIndex?: number; zOut?: string },
) {
  const summary = await session.call('openProject', { dir });
  if (summary.checkpoints.length === 0) note('Warning: this project has no checkpoint yet; sampling the untrained generator');
  const seed = opts.seed ?? 0;
  const batch = await session.call(
    'generate',
    { dir, count: opts.count ?? 64, seed, classIndex: opts.classIndex },
    { count: 'count', seed: 'seed', classIndex: 'class' },
  );
  const file = await session.writeBase64(opts.out, batch.pngBase64);
  if (opts.zOut) await session.write(opts.zOut, JSON.stringify({ seed, step: summary.step, z: batch.z, labels: batch.labels ?? null }));
  note(`Wrote ${batch.z.length} samples from step ${summary.step} to ${file}`);
  return { file, step: summary.step };
}

export const sampleCommand: CliCommand = {
  name: 'sample',
  summary: 'a grid of samples from the newest checkpoint, deterministic for a seed',
  usage: 'sample <dir> --out grid.png [--count 64] [--seed 7] [--class K] [--z-out z.json]',
  positionals: ['dir'],
  options: {
    count: { type: 'string' },
    seed: { type: 'string' },
    class: { type: 'string' },
    out: { type: 'string' },
    'z-out': { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    await writeSampleGrid(session, positionals[0], {
      out: required('out', str(v.out), 'the PNG to write'),
      count: num('count', v.count),
      seed: num('seed', v.seed),
      classIndex: num('class', v.class),
      zOut: str(v['z-out']),
    });
  },
};
