import path from 'node:path';
import type { FeatureLayer, InspectSource } from '../../shared/types/inspect';
import { choiceOption, num, str, UsageError } from '../args';
import type { CliCommand, Parsed } from '../command';
import { note, type Session } from '../session';
import { arrange, autoScale, upscale } from './images';
import { openForInspection } from './inspect-common';

/** The `top` samples of a pool that excite one channel most: their images, then the channel's maps. */
async function topSamples(session: Session, dir: string, size: number, v: Parsed['values']): Promise<void> {
  const layer = str(v.layer);
  const out = str(v.out);
  if (!layer || v.channel === undefined || !out) throw new UsageError('top-activating samples need --layer, --channel and --out');
  const net = layer.startsWith('g') ? 'G' : 'D';
  const top = await session.call(
    'inspectTopActivating',
    {
      dir,
      net,
      layer,
      channel: num('channel', v.channel)!,
      source: choiceOption('source', v.source, ['generated', 'real'] as const) ?? (net === 'G' ? 'generated' : 'real'),
      rank: choiceOption('rank', v.rank, ['mean', 'max'] as const),
      top: num('top', v.top),
      pool: num('pool', v.pool),
      seed: num('seed', v.seed) ?? 0,
    },
    { layer: 'layer', channel: 'channel', top: 'top', pool: 'pool', seed: 'seed' },
  );
  const scale = autoScale(size, 56);
  const mapScale = Math.max(1, Math.round((scale * size) / top.maps.tileWidth));
  const file = await session.writeBase64(
    out,
    await arrange([await upscale(top.images.pngBase64, scale), await upscale(top.maps.pngBase64, mapScale)], 'column'),
  );
  const { step, channel, source, rank, pool, items } = top;
  console.log(JSON.stringify({ step, layer: top.layer, channel, source, rank, pool, items }));
  note(`Wrote the top ${items.length} of ${pool} samples for ${top.layer} channel ${channel} (images, then the channel's maps) to ${file}`);
}

/** Every layer's activations for one sample, one PNG per layer. */
async function allMaps(session: Session, dir: string, size: number, v: Parsed['values']): Promise<void> {
  const outDir = path.resolve(str(v['out-dir']) ?? '');
  if (!v['out-dir']) throw new UsageError('--out-dir is required (a folder for one PNG per layer)');
  if (v.real !== undefined && (v.index !== undefined || v.class !== undefined))
    throw new UsageError('--real cannot be combined with --index or --class');
  const source: InspectSource =
    v.real !== undefined
      ? { kind: 'real', index: num('real', v.real)! }
      : { kind: 'generated', seed: num('seed', v.seed) ?? 0, index: num('index', v.index) ?? 0, classIndex: num('class', v.class) };
  const f = await session.call(
    'inspectFeatures',
    { dir, source },
    { 'source.index': v.real !== undefined ? 'real' : 'index', 'source.seed': 'seed', 'source.classIndex': 'class' },
  );
  const scaleFor = (l: FeatureLayer) => num('scale', v.scale) ?? autoScale(l.size, 28);
  await session.writeBase64(path.join(outDir, 'sample.png'), await upscale(f.imagePngBase64, autoScale(size, 112)));
  const layers = [...(f.G ?? []), ...f.D];
  for (const l of layers)
    await session.writeBase64(path.join(outDir, `${l.net}-${l.layer}.png`), await upscale(l.grid.pngBase64, scaleFor(l)));
  const names = layers.map((l) => `${l.net} ${l.layer} ${l.size}x${l.size}x${l.channels}`);
  console.log(JSON.stringify({ step: f.step, source: f.source, label: f.label, dLogit: f.dLogit, layers: names }));
  note(`Wrote the sample and ${names.length} layers of feature maps (step ${f.step}) to ${outDir}`);
}

export const featuresCommand: CliCommand = {
  name: 'features',
  summary: "every layer's feature maps for one sample, or the samples that excite one channel most",
  usage:
    'features <dir> --out-dir maps/ [--seed 0 --index 0 [--class K] | --real INDEX] [--scale N]' +
    '\n         ganvas features <dir> --layer g1 --channel 3 --out top.png [--source generated|real] [--top 16] [--pool 256] [--rank mean|max] [--seed 0]',
  positionals: ['dir'],
  options: {
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
  async run({ values: v, positionals }, session) {
    const { dir, config } = await openForInspection(session, positionals[0]);
    if (v.layer !== undefined || v.channel !== undefined) return topSamples(session, dir, config.model.size, v);
    return allMaps(session, dir, config.model.size, v);
  },
};
