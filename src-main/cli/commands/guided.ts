import { guidedBackprop } from '../../engine/inspect/guided';
import { autoScale } from '../../engine/inspect/tiles';
import { intOption, parse, UsageError } from '../args';
import { openInspectModel, stackPngs, writePng } from './inspect-common';
import sharp from 'sharp';

export const guidedUsage =
  "guided <dir> --channel C --out g.png [--top 8] [--pool 256] [--seed 0]   (D's last conv layer; trained vs random D)";

async function scaled(pngBase64: string, scale: number): Promise<string> {
  const img = sharp(Buffer.from(pngBase64, 'base64'));
  const { width = 1, height = 1 } = await img.metadata();
  return (
    await img
      .resize(width * scale, height * scale, { kernel: 'nearest' })
      .png()
      .toBuffer()
  ).toString('base64');
}

export async function guidedCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    { channel: { type: 'string' }, out: { type: 'string' }, top: { type: 'string' }, pool: { type: 'string' }, seed: { type: 'string' } },
    ['dir'],
  );
  if (values.channel === undefined) throw new UsageError("--channel is required (a channel of D's last conv layer)");
  if (!values.out) throw new UsageError('--out is required (the PNG to write)');
  const m = await openInspectModel(positionals[0]);
  const g = await guidedBackprop(m.gan, m.config, m.dir, m.step, {
    channel: intOption('channel', values.channel, 0)!,
    top: intOption('top', values.top, 1, 32),
    pool: intOption('pool', values.pool, 1, 2048),
    seed: intOption('seed', values.seed, 0, 0xffffffff),
  });
  const s = autoScale(m.config.model.size, 56);
  const rows = [g.trained.images, g.trained.patterns, g.random.images, g.random.patterns];
  const file = writePng(values.out, await stackPngs(await Promise.all(rows.map((r) => scaled(r.pngBase64, s)))));
  console.log(JSON.stringify({ step: g.step, layer: g.layer, channel: g.channel, trained: g.trained.items, random: g.random.items }));
  process.stderr.write(
    `Wrote guided backprop of ${g.layer} channel ${g.channel} to ${file}: rows = trained D's top images, their patterns, random D's top images, their patterns\n`,
  );
}
