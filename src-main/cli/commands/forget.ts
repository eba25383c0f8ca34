import fs from 'node:fs';
import path from 'node:path';
import { forgetSampleSchema } from '../../shared/contract/inspect';
import type { ForgetSampleBoxes } from '../../shared/types/inspect';
import { loadForgetAnnotations } from '../../engine/inspect/annotations';
import { fitForget, renderForget } from '../../engine/inspect/forget';
import { autoScale, tileGridPng } from '../../engine/inspect/tiles';
import { intOption, numberOption, parse, UsageError } from '../args';
import { channelList, openInspectModel, stackPngs, writePng } from './inspect-common';
import sharp from 'sharp';

export const forgetUsage =
  'forget <dir> --out before-after.png [--boxes boxes.json | --drop 1,5,7] [--layer g1] [--threshold 0] [--seed 0] [--count 16]' +
  '\n         (boxes: [{seed, index, boxes: [{x0,y0,x1,y1}]}] in image pixels; default: the boxes saved by the app)';

function readBoxes(file: string): ForgetSampleBoxes[] {
  const raw = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8')) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { samples?: unknown }).samples;
  const parsed = forgetSampleSchema.array().safeParse(list);
  if (!parsed.success) throw new UsageError(`--boxes: ${file} is not a list of {seed, index, boxes} (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** One row of per-sample PNGs as a grid PNG. */
async function row(pngs: string[], size: number): Promise<string> {
  const raws = await Promise.all(pngs.map((p) => sharp(Buffer.from(p, 'base64')).removeAlpha().toColourspace('srgb').raw().toBuffer()));
  const grid = await tileGridPng(
    { count: pngs.length, tileWidth: size, tileHeight: size, channels: 3, cols: pngs.length, pad: 2 },
    (t, x, y, c) => raws[t][(y * size + x) * 3 + c],
  );
  return grid.pngBase64;
}

export async function forgetCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      out: { type: 'string' },
      boxes: { type: 'string' },
      drop: { type: 'string' },
      layer: { type: 'string' },
      threshold: { type: 'string' },
      seed: { type: 'string' },
      count: { type: 'string' },
    },
    ['dir'],
  );
  if (!values.out) throw new UsageError('--out is required (the PNG to write: unchanged samples above, with the maps dropped below)');
  if (values.boxes && values.drop) throw new UsageError('use --boxes (fit which maps to drop) or --drop (hand-picked maps), not both');
  const m = await openInspectModel(positionals[0]);
  let drop: number[];
  let layer = values.layer;
  if (values.drop !== undefined) drop = channelList('drop', values.drop);
  else {
    const samples = values.boxes ? readBoxes(values.boxes) : loadForgetAnnotations(m.dir).samples;
    if (!samples.length) throw new UsageError('no boxes: pass --boxes boxes.json or --drop, or draw boxes in the app first');
    const fit = fitForget(m.gan, m.config.model, m.step, {
      samples,
      layer,
      threshold: numberOption('threshold', values.threshold, -1e6, 1e6),
    });
    layer = fit.layer;
    drop = fit.selected;
    console.log(
      JSON.stringify({
        layer: fit.layer,
        selected: fit.selected,
        weights: fit.weights,
        positives: fit.positives,
        negatives: fit.negatives,
        balancedAccuracy: fit.balancedAccuracy,
      }),
    );
  }
  const r = await renderForget(m.gan, m.config.model, m.step, {
    layer,
    drop,
    seed: intOption('seed', values.seed, 0, 0xffffffff) ?? 0,
    count: intOption('count', values.count, 1, 64) ?? 16,
    scale: autoScale(m.config.model.size, 56),
  });
  const file = writePng(values.out, await stackPngs([await row(r.before, r.size), await row(r.after, r.size)]));
  process.stderr.write(
    `Dropped ${r.dropped.length} of ${r.layer}'s maps (${r.dropped.join(',') || 'none'}); wrote ${r.before.length} samples before (top) and after (bottom) to ${file}\n`,
  );
}
