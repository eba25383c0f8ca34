/** Label rows and single-tile PNGs for the arithmetic views (G runs through a Drawer: compose.ts). */
import type { ModelConfig } from '../../shared/types';
import { encodePng, imagesToGrid } from '../sampling/grid';

/** Label rows for class indices (null/absent -> zeros, only possible for unconditional models). */
export function labelRows(labels: (number | null | undefined)[], numClasses: number): Float32Array | null {
  if (numClasses === 0) return null;
  const out = new Float32Array(labels.length * numClasses);
  labels.forEach((l, i) => {
    if (typeof l === 'number') out[i * numClasses + l] = 1;
  });
  return out;
}

/** Each image of a batch as its own PNG (base64), no border. @param images [n * pixels] */
export async function tilePngs(images: Float32Array, model: ModelConfig): Promise<string[]> {
  const pixels = model.size * model.size * model.channels;
  const n = images.length / pixels;
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const one = images.subarray(i * pixels, (i + 1) * pixels);
      const png = await encodePng(imagesToGrid(one, 1, model.size, model.channels, { pad: 0 }));
      return png.toString('base64');
    }),
  );
}
