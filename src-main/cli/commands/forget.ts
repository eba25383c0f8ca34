import fs from 'node:fs';
import path from 'node:path';
import { forgetSampleSchema } from '../../shared/contract/inspect';
import type { ForgetSampleBoxes } from '../../shared/types/inspect';
import { num, numList, required, str, UsageError } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { arrange, autoScale } from './images';
import { openForInspection } from './inspect-common';

function readBoxes(file: string): ForgetSampleBoxes[] {
  const raw = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { samples?: unknown }).samples;
  const parsed = forgetSampleSchema.array().safeParse(list);
  if (!parsed.success) throw new UsageError(`--boxes: ${file} is not a list of {seed, index, boxes} (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

export const forgetCommand: CliCommand = {
  name: 'forget',
  summary: "forget an object by dropping G's feature maps (paper Sec. 6.3.1): samples before and after",
  usage:
    'forget <dir> --out before-after.png [--boxes boxes.json | --drop 1,5,7] [--layer g1] [--threshold 0] [--seed 0] [--count 16]' +
    '\n         (boxes: [{seed, index, boxes: [{x0,y0,x1,y1}]}] in image pixels; default: the boxes saved by the app)',
  positionals: ['dir'],
  options: {
    out: { type: 'string' },
    boxes: { type: 'string' },
    drop: { type: 'string' },
    layer: { type: 'string' },
    threshold: { type: 'string' },
    seed: { type: 'string' },
    count: { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const out = required('out', str(v.out), 'the PNG to write: unchanged samples above, with the maps dropped below');
    if (v.boxes && v.drop) throw new UsageError('use --boxes (fit which maps to drop) or --drop (hand-picked maps), not both');
    const { dir, config } = await openForInspection(session, positionals[0]);
    let layer = str(v.layer);
    let drop = numList('drop', v.drop);
    if (!drop) {
      const samples = v.boxes ? readBoxes(str(v.boxes)!) : (await session.call('forgetAnnotations', { dir })).samples;
      if (!samples.length) throw new UsageError('no boxes: pass --boxes boxes.json or --drop, or draw boxes in the app first');
      const fit = await session.call(
        'forgetFit',
        { dir, samples, layer, threshold: num('threshold', v.threshold) },
        { layer: 'layer', threshold: 'threshold', samples: 'boxes' },
      );
      layer = fit.layer;
      drop = fit.selected;
      const { selected, weights, positives, negatives, balancedAccuracy } = fit;
      console.log(JSON.stringify({ layer: fit.layer, selected, weights, positives, negatives, balancedAccuracy }));
    }
    const r = await session.call(
      'forgetRender',
      { dir, layer, drop, seed: num('seed', v.seed) ?? 0, count: num('count', v.count) ?? 16, scale: autoScale(config.model.size, 56) },
      { layer: 'layer', drop: 'drop', seed: 'seed', count: 'count' },
    );
    const before = await arrange(r.before, 'row', 2);
    const after = await arrange(r.after, 'row', 2);
    const file = await session.writeBase64(out, await arrange([before, after], 'column'));
    note(
      `Dropped ${r.dropped.length} of ${r.layer}'s maps (${r.dropped.join(',') || 'none'}); wrote ${r.before.length} samples before (top) and after (bottom) to ${file}`,
    );
  },
};
