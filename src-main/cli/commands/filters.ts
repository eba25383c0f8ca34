import { choiceOption, num, required, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { autoScale } from './images';
import { openForInspection } from './inspect-common';

export const filtersCommand: CliCommand = {
  name: 'filters',
  summary: "a layer's learned kernels as a tile image (paper Sec. 6)",
  usage: 'filters <dir> --layer d1 --out f.png [--norm tile|layer] [--out-start N] [--in-start N] [--max-out 64] [--max-in 64] [--scale N]',
  positionals: ['dir'],
  options: {
    layer: { type: 'string' },
    out: { type: 'string' },
    norm: { type: 'string' },
    'out-start': { type: 'string' },
    'in-start': { type: 'string' },
    'max-out': { type: 'string' },
    'max-in': { type: 'string' },
    scale: { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const layer = required('layer', str(v.layer), 'e.g. d1, g2');
    const out = required('out', str(v.out), 'the PNG to write');
    const { dir } = await openForInspection(session, positionals[0]);
    const layers = await session.call('inspectLayers', { dir });
    const kernel = [...layers.G, ...layers.D].find((l) => l.name === layer)?.kernel ?? 4;
    const f = await session.call(
      'inspectFilters',
      {
        dir,
        layer,
        norm: choiceOption('norm', v.norm, ['tile', 'layer'] as const),
        outStart: num('out-start', v['out-start']),
        inStart: num('in-start', v['in-start']),
        maxOut: num('max-out', v['max-out']),
        maxIn: num('max-in', v['max-in']),
        scale: num('scale', v.scale) ?? autoScale(kernel, 12),
      },
      { layer: 'layer', outStart: 'out-start', inStart: 'in-start', maxOut: 'max-out', maxIn: 'max-in', scale: 'scale' },
    );
    const file = await session.writeBase64(out, f.grid.pngBase64);
    const shown =
      f.mode === 'matrix'
        ? `outputs ${f.outRange[0]}-${f.outRange[1] - 1} x inputs ${f.inRange[0]}-${f.inRange[1] - 1}`
        : `${f.grid.count} ${f.mode} tiles`;
    note(`Wrote ${f.net}'s ${f.layer} kernels (${f.kernel}x${f.kernel}, ${shown}, step ${f.step}) to ${file}`);
  },
};
