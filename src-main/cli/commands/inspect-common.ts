/** Shared by the inspect commands (filters, features, guided, forget): load a project's GAN, write PNGs. */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { selectBackend } from '../../engine/backend/select';
import { loadInferenceGan, type InferenceModel } from '../../engine/worker/inference';

/** The project's GAN at its newest checkpoint (warns when there is none). */
export async function openInspectModel(dirArg: string): Promise<InferenceModel> {
  await selectBackend('auto');
  const m = loadInferenceGan(path.resolve(dirArg));
  if (m.step === 0) process.stderr.write('Warning: this project has no checkpoint yet; showing the untrained networks\n');
  return m;
}

export function writePng(file: string, pngBase64: string): string {
  const out = path.resolve(file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, Buffer.from(pngBase64, 'base64'));
  return out;
}

/** PNGs stacked top to bottom (left-aligned, `gap` px apart) on a dark background. */
export async function stackPngs(pngsBase64: string[], gap = 8): Promise<string> {
  const parts = await Promise.all(
    pngsBase64.map(async (b) => ({ input: Buffer.from(b, 'base64'), meta: await sharp(Buffer.from(b, 'base64')).metadata() })),
  );
  const width = Math.max(...parts.map((p) => p.meta.width ?? 0));
  const height = parts.reduce((a, p) => a + (p.meta.height ?? 0), 0) + gap * (parts.length - 1);
  let top = 0;
  const composite = parts.map((p) => {
    const at = { input: p.input, left: 0, top };
    top += (p.meta.height ?? 0) + gap;
    return at;
  });
  const png = await sharp({ create: { width, height, channels: 3, background: { r: 14, g: 17, b: 21 } } })
    .composite(composite)
    .png()
    .toBuffer();
  return png.toString('base64');
}

/** Parses '1,5,7' into channel indices. */
export function channelList(name: string, raw: string): number[] {
  const out = raw.split(',').filter(Boolean).map(Number);
  if (out.some((c) => !Number.isInteger(c) || c < 0)) throw new Error(`--${name} must list channel numbers like 1,5,7, got '${raw}'`);
  return out;
}
