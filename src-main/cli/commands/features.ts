import path from 'node:path';
import sharp from 'sharp';
import type { FeatureLayer, InspectSource } from '../../shared/types/inspect';
import { featureMaps, topActivating } from '../../engine/inspect/features';
import { netOfLayer } from '../../engine/inspect/layers';
import { autoScale } from '../../engine/inspect/tiles';
import { choiceOption, intOption, parse, UsageError } from '../args';
import { openInspectModel, stackPngs, writePng } from './inspect-common';

export const featuresUsage =
  'features <dir> --out-dir maps/ [--seed 0 --index 0 [--class K] | --real INDEX] [--scale N]' +
  '\n         ganvas features <dir> --layer g1 --channel 3 --out top.png [--source generated|real] [--top 16] [--pool 256] [--rank mean|max] [--seed 0]';

async function upscale(pngBase64: string, scale: number): Promise<string> {
  if (scale === 1) return pngBase64;
  const img = sharp(Buffer.from(pngBase64, 'base64'));
  const { width = 1, height = 1 } = await img.metadata();
  return (
    await img
      .resize(width * scale, height * scale, { kernel: 'nearest' })
      .png()
      .toBuffer()
  ).toString('base64');
}

export async function featuresCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      'out-dir': { type: 'string' },
      seed: { type: 'string' },
      index: { type: 'string' },
      class: { type: 'string' },
      real: { type: 'string' },
      scale: { type: 'string' },
      layer: { type: 'string' },
      channel: { type: 'string' },
      out: { type: 'string' },
      source: { type: 'string' },
      top: { type: 'string' },
      pool: { type: 'string' },
      rank: { type: 'string' },
    },
    ['dir'],
  );
  const seed = intOption('seed', values.seed, 0, 0xffffffff) ?? 0;
  if (values.layer !== undefined || values.channel !== undefined) {
    if (!values.layer || values.channel === undefined || !values.out)
      throw new UsageError('top-activating samples need --layer, --channel and --out');
    const m = await openInspectModel(positionals[0]);
    const net = netOfLayer(values.layer);
    const top = await topActivating(m.gan, m.config.model, m.dir, m.step, {
      net,
      layer: values.layer,
      channel: intOption('channel', values.channel, 0)!,
      source: choiceOption('source', values.source, ['generated', 'real'] as const) ?? (net === 'G' ? 'generated' : 'real'),
      rank: choiceOption('rank', values.rank, ['mean', 'max'] as const),
      top: intOption('top', values.top, 1, 64),
      pool: intOption('pool', values.pool, 1, 2048),
      seed,
    });
    const scale = autoScale(m.config.model.size, 56);
    const file = writePng(
      values.out,
      await stackPngs([
        await upscale(top.images.pngBase64, scale),
        await upscale(top.maps.pngBase64, Math.max(1, Math.round((scale * m.config.model.size) / top.maps.tileWidth))),
      ]),
    );
    console.log(
      JSON.stringify({
        step: top.step,
        layer: top.layer,
        channel: top.channel,
        source: top.source,
        rank: top.rank,
        pool: top.pool,
        items: top.items,
      }),
    );
    process.stderr.write(
      `Wrote the top ${top.items.length} of ${top.pool} samples for ${top.layer} channel ${top.channel} (images, then the channel's maps) to ${file}\n`,
    );
    return;
  }
  if (!values['out-dir']) throw new UsageError('--out-dir is required (a folder for one PNG per layer)');
  if (values.real !== undefined && (values.index !== undefined || values.class !== undefined))
    throw new UsageError('--real cannot be combined with --index or --class');
  const source: InspectSource =
    values.real !== undefined
      ? { kind: 'real', index: intOption('real', values.real, 0)! }
      : { kind: 'generated', seed, index: intOption('index', values.index, 0, 4095) ?? 0, classIndex: intOption('class', values.class, 0) };
  const m = await openInspectModel(positionals[0]);
  const f = await featureMaps(m.gan, m.config.model, m.dir, m.step, source);
  const outDir = path.resolve(values['out-dir']);
  const scaleFor = (l: FeatureLayer) => intOption('scale', values.scale, 1, 16) ?? autoScale(l.size, 28);
  writePng(path.join(outDir, 'sample.png'), await upscale(f.imagePngBase64, autoScale(m.config.model.size, 112)));
  for (const l of [...(f.G ?? []), ...f.D])
    writePng(path.join(outDir, `${l.net}-${l.layer}.png`), await upscale(l.grid.pngBase64, scaleFor(l)));
  const layers = [...(f.G ?? []), ...f.D].map((l) => `${l.net} ${l.layer} ${l.size}x${l.size}x${l.channels}`);
  console.log(JSON.stringify({ step: f.step, source: f.source, label: f.label, dLogit: f.dLogit, layers }));
  process.stderr.write(`Wrote the sample and ${layers.length} layers of feature maps (step ${m.step}) to ${outDir}\n`);
}
