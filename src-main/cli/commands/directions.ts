/**
 * `ganvas directions`: G's principal directions (GANSpace) ranked by explained variance, written
 * as JSON, optionally as a sheet (one row per direction from -span to +span) and saved in the project.
 */
import path from 'node:path';
import { endProgress, num, required, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { followAnalysis } from './progress';

const FLAGS = { count: 'count', samples: 'samples', seed: 'seed', 'sheet.span': 'span', 'sheet.columns': 'columns' };

export const directionsCommand: CliCommand = {
  name: 'directions',
  summary: "G's principal latent directions (GANSpace), ranked by explained variance, as JSON and a sheet",
  usage: 'directions <dir> --out dirs.json [--count 10] [--samples 2000] [--seed 0] [--sheet sheet.png --span 3 --columns 7] [--save]',
  positionals: ['dir'],
  options: {
    out: { type: 'string' },
    count: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string' },
    sheet: { type: 'string' },
    span: { type: 'string' },
    columns: { type: 'string' },
    save: { type: 'boolean' },
  },
  async run({ values: v, positionals }, session) {
    const out = path.resolve(required('out', str(v.out), 'the JSON file of the directions'));
    const summary = await session.call('openProject', { dir: positionals[0] });
    const { dir } = summary;
    if (summary.step === 0) note('Warning: this project has no checkpoint yet; analysing the untrained generator');
    const sheetFile = str(v.sheet);
    const payload = {
      dir,
      count: num('count', v.count) ?? 10,
      samples: num('samples', v.samples),
      seed: num('seed', v.seed),
      ...(sheetFile && { sheet: { span: num('span', v.span), columns: num('columns', v.columns) } }),
    };
    session.validate('directionsDiscover', payload, FLAGS);
    const { id, off } = await followAnalysis(session, 'Discovering');
    let r;
    try {
      r = await session.call('directionsDiscover', { ...payload, id }, FLAGS);
    } finally {
      endProgress();
      off();
    }
    const { sheet, directions, ...facts } = r;
    await session.write(out, JSON.stringify({ format: 'ganvas-directions', version: 1, ...facts, directions }, null, 2));
    if (sheetFile && sheet) await session.writeBase64(sheetFile, sheet.pngBase64);
    if (v.save) {
      for (const d of directions) {
        const source = { kind: 'discovered' as const, rank: d.rank, explainedVariance: d.explainedVariance, layer: r.layer, step: r.step };
        await session.call('directionSave', { dir, name: `PC${d.rank} (step ${r.step})`, vector: d.vector, source });
      }
      note(`Saved ${directions.length} directions in the project`);
    }
    for (const d of directions) note(`  PC${d.rank}: ${(100 * d.explainedVariance).toFixed(2)}% of ${r.layer}'s activation variance`);
    console.log(JSON.stringify({ step: r.step, layer: r.layer, explainedVariance: directions.map((d) => d.explainedVariance) }));
    note(
      `Wrote ${directions.length} directions to ${out}${sheetFile ? ` and the sheet to ${path.resolve(sheetFile)}` : ''} (${r.seconds.toFixed(1)} s)`,
    );
  },
};
