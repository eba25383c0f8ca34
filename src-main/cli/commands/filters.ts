import { networkFilters } from '../../engine/inspect/filters';
import { netOfLayer } from '../../engine/inspect/layers';
import { autoScale } from '../../engine/inspect/tiles';
import { choiceOption, intOption, parse, UsageError } from '../args';
import { openInspectModel, writePng } from './inspect-common';

export const filtersUsage =
  'filters <dir> --layer d1 --out f.png [--norm tile|layer] [--out-start N] [--in-start N] [--max-out 64] [--max-in 64] [--scale N]';

export async function filtersCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      layer: { type: 'string' },
      out: { type: 'string' },
      norm: { type: 'string' },
      'out-start': { type: 'string' },
      'in-start': { type: 'string' },
      'max-out': { type: 'string' },
      'max-in': { type: 'string' },
      scale: { type: 'string' },
    },
    ['dir'],
  );
  if (!values.layer) throw new UsageError('--layer is required (e.g. d1, g2)');
  if (!values.out) throw new UsageError('--out is required (the PNG to write)');
  const m = await openInspectModel(positionals[0]);
  const net = netOfLayer(values.layer);
  const kernel = (net === 'G' ? m.gan.G : m.gan.D).spec.find((l) => l.name === values.layer)?.kernel ?? 4;
  const f = await networkFilters(net === 'G' ? m.gan.G : m.gan.D, net, values.layer, m.config.model.channels, {
    norm: choiceOption('norm', values.norm, ['tile', 'layer'] as const),
    outStart: intOption('out-start', values['out-start'], 0),
    inStart: intOption('in-start', values['in-start'], 0),
    maxOut: intOption('max-out', values['max-out'], 1, 512),
    maxIn: intOption('max-in', values['max-in'], 1, 512),
    scale: intOption('scale', values.scale, 1, 16) ?? autoScale(kernel, 12),
  });
  const file = writePng(values.out, f.grid.pngBase64);
  const shown =
    f.mode === 'matrix'
      ? `outputs ${f.outRange[0]}-${f.outRange[1] - 1} x inputs ${f.inRange[0]}-${f.inRange[1] - 1}`
      : `${f.grid.count} ${f.mode} tiles`;
  process.stderr.write(`Wrote ${f.net}'s ${f.layer} kernels (${f.kernel}x${f.kernel}, ${shown}, step ${m.step}) to ${file}\n`);
}
