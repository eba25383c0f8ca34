import type { OverlayOptions } from 'sharp';
import type { MemorisationExample } from '../../shared/types/eval';
import { num, str } from '../args';
import { note } from '../session';
import { evalCommand, pct, stepsOption, table } from './eval-common';

/** One row per sample: the sample, its nearest training images by pixels, then by D features. */
async function neighbourSheet(examples: MemorisationExample[], scale: number): Promise<string> {
  const sharp = (await import('sharp')).default;
  const first = await sharp(Buffer.from(examples[0].pngBase64, 'base64')).metadata();
  const size = (first.width ?? 28) * scale;
  const gap = 4;
  const groupGap = 16;
  const k = examples[0].byPixel.length;
  const width = size * (1 + 2 * k) + gap * 2 * (k - 1) + groupGap * 2 + gap * 2;
  const height = examples.length * (size + gap) + gap;
  const tiles: OverlayOptions[] = [];
  const tile = async (b64: string, left: number, top: number) =>
    tiles.push({ input: await sharp(Buffer.from(b64, 'base64')).resize(size, size, { kernel: 'nearest' }).png().toBuffer(), left, top });
  for (const [row, ex] of examples.entries()) {
    const top = gap + row * (size + gap);
    await tile(ex.pngBase64, gap, top);
    for (const [g, list] of [ex.byPixel, ex.byDFeature].entries()) {
      const start = gap + size + groupGap + g * (k * (size + gap) - gap + groupGap);
      for (const [i, n] of list.entries()) await tile(n.pngBase64, start + i * (size + gap), top);
    }
  }
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 14, g: 17, b: 21 } } })
    .composite(tiles)
    .png()
    .toBuffer();
  return png.toString('base64');
}

/**
 * Memorisation check: nearest training images of generated samples (pixel L2 and D-feature L2)
 * and the distance distribution per checkpoint, beside the same distances for held-out real
 * images. Rows go to eval/memorisation.jsonl; --out writes the side-by-side sheet of the last step.
 */
export const evalMemorisationCommand = evalCommand({
  name: 'eval-memorisation',
  summary: 'nearest training images of samples (pixels and D features) and how close they are, per checkpoint',
  usage:
    'eval-memorisation <dir> [--steps latest|all|new|200,400] [--samples 128] [--reference 10000] [--out neighbours.png] [--show 8] [--neighbours 3] [--seed N] [--json]',
  method: 'evalMemorisation',
  options: {
    steps: { type: 'string' },
    samples: { type: 'string' },
    reference: { type: 'string' },
    out: { type: 'string' },
    show: { type: 'string' },
    neighbours: { type: 'string' },
  },
  input: (v, dir) => ({
    dir,
    steps: stepsOption(v.steps, 'latest'),
    samples: num('samples', v.samples),
    reference: num('reference', v.reference),
    show: str(v.out) ? (num('show', v.show) ?? 8) : 0,
    neighbours: num('neighbours', v.neighbours),
    seed: num('seed', v.seed),
  }),
  flags: { steps: 'steps', samples: 'samples', reference: 'reference', show: 'show', neighbours: 'neighbours', seed: 'seed' },
  async write(result, v, session) {
    const out = str(v.out);
    if (!out || !result.examples.length) return;
    const sharp = (await import('sharp')).default;
    const size = (await sharp(Buffer.from(result.examples[0].pngBase64, 'base64')).metadata()).width ?? 28;
    const file = await session.writeBase64(out, await neighbourSheet(result.examples, size <= 32 ? 3 : 1));
    note(
      `Wrote ${result.examples.length} samples with their nearest training images (pixels, then D features) from step ${result.examplesStep} to ${file}`,
    );
  },
  json: (result) => ({
    ...result,
    examples: result.examples.map(({ pngBase64: _, ...e }) => ({
      ...e,
      byPixel: e.byPixel.map(({ pngBase64: _p, ...n }) => n),
      byDFeature: e.byDFeature.map(({ pngBase64: _p, ...n }) => n),
    })),
  }),
  print(result) {
    const r0 = result.rows[0];
    if (!r0) {
      console.log('Nothing to check: no new checkpoint.');
      return;
    }
    console.log(
      `Nearest training image (median [p10-p90]) for ${r0.samples} samples vs ${r0.samples} held-out real images, among ${r0.reference} training images`,
    );
    const range = (s: { median: number; p10: number; p90: number }) => `${s.median.toFixed(2)} [${s.p10.toFixed(2)}-${s.p90.toFixed(2)}]`;
    console.log(
      table(
        ['step', 'pixels: samples', 'pixels: real', 'D: samples', 'D: real', 'near copies', 'nnd'],
        result.rows.map((r) => [
          r.step,
          range(r.pixel),
          range(r.realPixel),
          range(r.dFeature),
          range(r.realDFeature),
          pct(r.nearCopyRate),
          r.nnd.toFixed(2),
        ]),
      ),
    );
    console.log('Near copies: samples closer to a training image than 90% of held-out real images are (about 10% is normal).');
    for (const s of result.skipped) console.log(`Skipped step ${s.step}: ${s.reason}`);
  },
});
