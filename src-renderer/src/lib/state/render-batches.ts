import { MAX_RENDER_ROWS } from '$shared/limits';
import type { ApiInput, GanvasBridge } from '../api-types';
import { pngUrl } from '../images';

export type RenderRow = ApiInput<'renderLatents'>['rows'][number];

/**
 * Renders latent points from the newest checkpoint in calls of at most `size` rows, yielding
 * each batch's image URLs as it arrives: the first images show after one short call, and the
 * compute worker is free for other requests between calls.
 */
export async function* renderBatches(
  api: GanvasBridge,
  dir: string,
  rows: RenderRow[],
  size = MAX_RENDER_ROWS,
): AsyncGenerator<{ start: number; urls: string[] }> {
  for (let start = 0; start < rows.length; start += size) {
    const pngs = await api.renderLatents({ dir, rows: rows.slice(start, start + size) });
    yield { start, urls: pngs.map(pngUrl) };
  }
}
