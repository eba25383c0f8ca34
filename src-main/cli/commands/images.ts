/**
 * Composing the engine's PNGs into the sheets the CLI writes (sharp, loaded only by the commands
 * that need it). The app shows the same images side by side in its views.
 */
import type { OverlayOptions } from 'sharp';

const BACKGROUND = { r: 14, g: 17, b: 21 };
const load = async () => (await import('sharp')).default;

/** Scale for small tiles so a PNG is legible outside the app: at least ~`target` px per tile. */
export function autoScale(tileSize: number, target = 24, max = 8): number {
  return Math.max(1, Math.min(max, Math.ceil(target / tileSize)));
}

/** Nearest-neighbour upscaling (pixels stay crisp). */
export async function upscale(pngBase64: string, scale: number): Promise<string> {
  if (scale === 1) return pngBase64;
  const sharp = await load();
  const img = sharp(Buffer.from(pngBase64, 'base64'));
  const { width = 1, height = 1 } = await img.metadata();
  return (
    await img
      .resize(width * scale, height * scale, { kernel: 'nearest' })
      .png()
      .toBuffer()
  ).toString('base64');
}

/** PNGs laid out in a row (left to right) or a column (top to bottom), `gap` px apart, on the app's dark background. */
export async function arrange(pngsBase64: string[], direction: 'row' | 'column', gap = 8): Promise<string> {
  const sharp = await load();
  const parts = await Promise.all(
    pngsBase64.map(async (b) => {
      const input = Buffer.from(b, 'base64');
      const { width = 0, height = 0 } = await sharp(input).metadata();
      return { input, width, height };
    }),
  );
  const along = direction === 'row' ? 'width' : 'height';
  const across = direction === 'row' ? 'height' : 'width';
  const length = parts.reduce((a, p) => a + p[along], 0) + gap * (parts.length - 1);
  const breadth = Math.max(...parts.map((p) => p[across]));
  let at = 0;
  const composite: OverlayOptions[] = parts.map((p) => {
    const o = direction === 'row' ? { input: p.input, left: at, top: 0 } : { input: p.input, left: 0, top: at };
    at += p[along] + gap;
    return o;
  });
  const [width, height] = direction === 'row' ? [length, breadth] : [breadth, length];
  const png = await sharp({ create: { width, height, channels: 3, background: BACKGROUND } })
    .composite(composite)
    .png()
    .toBuffer();
  return png.toString('base64');
}
