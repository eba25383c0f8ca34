/**
 * Training timelapse: the saved fixed-noise grids in step order, each beside the loss curves up
 * to its step (chart.ts), as RGBA frames for the GIF and video writers. Rendered in Node with
 * sharp only: PNG decoding, and SVG rasterisation (librsvg; text via fontconfig) for the panel.
 * Inputs are plain data (grid PNG bytes and metric rows), so any caller can read the files.
 */
import sharp from 'sharp';
import type { MetricRow } from '../../shared/types';
import type { RgbaFrame } from '../video/frames';
import { chartScale, chartSvg, type ChartStyle } from './chart';

export interface TimelapseGrid {
  step: number;
  /** The grid's PNG file contents. */
  png: Uint8Array;
  epoch?: number;
}

export interface TimelapseOptions {
  /** Loss panel width (default: as wide as the grid is high, at least 240 px). */
  chartWidth?: number;
  /** EMA smoothing of the drawn losses (default 0.8). */
  smoothing?: number;
  /** Shown above the step (e.g. the project's name). */
  title?: string;
}

export interface TimelapseLayout {
  width: number;
  height: number;
  gridWidth: number;
  gridHeight: number;
  chartWidth: number;
  frames: number;
}

/** Frame geometry from the first grid (later grids of another size are fitted into it). */
export async function timelapseLayout(grids: TimelapseGrid[], opts: TimelapseOptions = {}): Promise<TimelapseLayout> {
  if (grids.length === 0) throw new Error('There are no sample grids to make a timelapse from: train first');
  const meta = await sharp(grids[0].png).metadata();
  if (!meta.width || !meta.height) throw new Error(`The grid at step ${grids[0].step} is not a readable image`);
  const chartWidth = opts.chartWidth ?? Math.max(240, meta.height);
  return {
    width: meta.width + chartWidth,
    height: meta.height,
    gridWidth: meta.width,
    gridHeight: meta.height,
    chartWidth,
    frames: grids.length,
  };
}

async function gridRgba(grid: TimelapseGrid, w: number, h: number): Promise<Uint8Array> {
  try {
    const { data } = await sharp(grid.png)
      .resize(w, h, { fit: 'contain', kernel: 'nearest', background: '#181818' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return data;
  } catch (err) {
    throw new Error(`The grid at step ${grid.step} cannot be decoded: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Frames of the timelapse, one per grid (sorted by step), each `layout.width` x `layout.height`.
 * Metric rows after a grid's step are not drawn on it.
 */
export async function* timelapseFrames(
  grids: TimelapseGrid[],
  metrics: MetricRow[],
  opts: TimelapseOptions = {},
): AsyncGenerator<RgbaFrame> {
  const layout = await timelapseLayout(grids, opts);
  const { width, height, gridWidth, chartWidth } = layout;
  const rows = [...metrics].sort((a, b) => a.step - b.step);
  const scale = chartScale(rows);
  const style: ChartStyle = { width: chartWidth, height, smoothing: opts.smoothing ?? 0.8, title: opts.title ?? 'Training' };
  for (const grid of [...grids].sort((a, b) => a.step - b.step)) {
    const left = await gridRgba(grid, gridWidth, height);
    const svg = chartSvg(rows, grid.step, scale, style, grid.epoch);
    const { data: right } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      data.set(left.subarray(y * gridWidth * 4, (y + 1) * gridWidth * 4), y * width * 4);
      data.set(right.subarray(y * chartWidth * 4, (y + 1) * chartWidth * 4), (y * width + gridWidth) * 4);
    }
    yield { data, width, height };
  }
}
