/**
 * Moving along discovered directions (directions.ts): the frames of one slider's sweep, and a
 * sheet with one row per direction from -span to +span around a base z (the centre column is
 * the base image in every row). Offsets are in units of z's prior standard deviation: the
 * projection of z ~ N(0, I) on any unit vector has standard deviation 1, so +-3 covers the
 * range G saw along that direction in training.
 */
import type { ModelConfig } from '../../shared/types';
import { encodePng } from '../sampling/grid';
import { latentVectors } from '../sampling/noise';
import type { Drawer } from '../sampling/drawer';
import { bytesToGrid, frameBytes } from './export/pixels';
import type { PlannedFrame } from './plan';
import { drawFrames } from './render';
import { oneHotRow } from './walks';

/** `count` evenly spaced offsets from -span to +span (both included). */
export function sweepOffsets(span: number, count: number): number[] {
  if (!(span > 0)) throw new Error(`The sweep span must be positive, got ${span}`);
  if (!Number.isInteger(count) || count < 2) throw new Error(`A sweep needs at least 2 steps, got ${count}`);
  return Array.from({ length: count }, (_, i) => -span + (2 * span * i) / (count - 1));
}

/** base + offset * direction for each offset: frames for a walk export or a slider preview. */
export function directionSweep(
  model: Pick<ModelConfig, 'numClasses'>,
  base: Float32Array,
  direction: Float32Array,
  offsets: number[],
  label: number | null = null,
): PlannedFrame[] {
  if (base.length !== direction.length) throw new Error(`z has ${base.length} numbers but the direction has ${direction.length}`);
  const labelRow = model.numClasses > 0 ? oneHotRow(label ?? 0, model.numClasses) : null;
  return offsets.map((o) => {
    const z = new Float32Array(base.length);
    for (let i = 0; i < z.length; i++) z[i] = base[i] + o * direction[i];
    return { z, label: labelRow };
  });
}

export interface SheetOptions {
  /** The z every row starts from (default: the prior sample for `seed`). */
  base?: Float32Array;
  seed?: number;
  label?: number | null;
  /** Largest offset (default 3). */
  span?: number;
  /** Columns, odd so the base sits in the middle (default 7). */
  columns?: number;
  /** Nearest-neighbour upscaling of each tile (default: about 64 px tiles). */
  scale?: number;
}

export interface DirectionSheet {
  png: Buffer;
  width: number;
  height: number;
  rows: number;
  cols: number;
  offsets: number[];
  base: Float32Array;
}

export async function directionSheet(
  drawer: Drawer,
  model: ModelConfig,
  directions: Float32Array[],
  opts: SheetOptions = {},
): Promise<DirectionSheet> {
  if (directions.length === 0) throw new Error('There are no directions to draw');
  const base = opts.base ?? latentVectors(model, 1, opts.seed ?? 0);
  if (base.length !== model.zDim) throw new Error(`The base z has ${base.length} numbers; this model's z has ${model.zDim}`);
  const offsets = sweepOffsets(opts.span ?? 3, opts.columns ?? 7);
  const frames = directions.flatMap((d) => directionSweep(model, base, d, offsets, opts.label ?? null));
  const images = await drawFrames(drawer, model, frames);
  const tiles = frames.map((_, i) => frameBytes(images, i, model.size, model.channels));
  const grid = bytesToGrid(tiles, model.size, model.channels, offsets.length);
  const scale = opts.scale ?? Math.max(1, Math.round(64 / model.size));
  const png = await encodePng(grid, scale);
  return { png, width: grid.width * scale, height: grid.height * scale, rows: directions.length, cols: offsets.length, offsets, base };
}
