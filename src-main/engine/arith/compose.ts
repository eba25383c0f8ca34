/**
 * Latent arithmetic with a generator: concept means -> Y -> the paper's 3x3 grid, with the same
 * expression done on pixels beside it (Fig. 7), and directions applied to a base z (Fig. 8).
 * Runs where G lives: the inference worker, or in-process for the CLI.
 */
import type { ArithResult, ConceptMember, DirectionResult, ModelConfig } from '../../shared/types';
import { formatExpression } from '../../shared/arith-expression';
import type { Drawer } from '../sampling/drawer';
import { encodePng, imagesToGrid } from '../sampling/grid';
import { combine, combineLabels, GRID_CELLS, meanVector, noiseGrid, pixelArithmetic, applyDirection, directionVector } from './vector';
import { norm } from '../latent/interpolate';
import { labelRows, tilePngs } from './render';

/** One concept of the expression with its weight and its exemplars. */
export interface ComposeTerm {
  conceptId: string;
  symbol: string;
  name: string;
  weight: number;
  members: ConceptMember[];
}

export interface ComposeOptions {
  terms: ComposeTerm[];
  noise: number;
  noiseSeed: number;
  /** Nearest-neighbour upscaling of the composed grid PNG (default: crisp at a glance). */
  gridScale?: number;
}

/** Upscaling that makes a 28px digit readable without blowing up 64px faces. */
export const defaultGridScale = (size: number) => (size <= 32 ? 4 : size <= 64 ? 2 : 1);

/**
 * Evaluates sum_i w_i * mean(z of concept i) and renders everything the arithmetic view shows.
 * @param G generator in inference mode; `step` is the checkpoint it was loaded from.
 */
/** @param drawer where G runs (this process or the compute window): one call for the whole figure. */
export async function composeArith(drawer: Drawer, model: ModelConfig, step: number, opts: ComposeOptions): Promise<ArithResult> {
  const { terms } = opts;
  for (const t of terms)
    if (t.members.length === 0) throw new Error(`Concept ${t.symbol} (${t.name}) has no samples yet: drop some into it`);
  const pixels = model.size * model.size * model.channels;
  const means = terms.map((t) => meanVector(t.members.map((m) => m.z)));
  const y = combine(terms.map((t, i) => ({ weight: t.weight, vector: means[i] })));
  const label = combineLabels(
    terms.map((t) => ({ weight: t.weight, labels: t.members.map((m) => m.label) })),
    model.numClasses,
  );

  // Every image in one batch: members of each concept, the concept means, then the 9 grid cells.
  const memberCount = terms.reduce((n, t) => n + t.members.length, 0);
  const gridZ = noiseGrid(y, opts.noise, opts.noiseSeed);
  const zAll = new Float32Array((memberCount + terms.length + GRID_CELLS) * model.zDim);
  const k = model.numClasses;
  const labelsAll = k > 0 ? new Float32Array((memberCount + terms.length + GRID_CELLS) * k) : null;
  let row = 0;
  terms.forEach((t) => {
    const rows = labelRows(
      t.members.map((m) => m.label),
      k,
    );
    t.members.forEach((m, j) => {
      zAll.set(m.z, row * model.zDim);
      if (labelsAll && rows) labelsAll.set(rows.subarray(j * k, (j + 1) * k), row * k);
      row++;
    });
  });
  terms.forEach((t, i) => {
    zAll.set(means[i], row * model.zDim);
    // A concept's own label: the mean of its members' one-hots.
    if (labelsAll) labelsAll.set(combineLabels([{ weight: 1, labels: t.members.map((m) => m.label) }], k)!, row * k);
    row++;
  });
  zAll.set(gridZ, row * model.zDim);
  if (labelsAll && label) for (let c = 0; c < GRID_CELLS; c++) labelsAll.set(label, (row + c) * k);

  const images = await drawer.images(zAll, labelsAll);
  const at = (r: number, n: number) => images.subarray(r * pixels, (r + n) * pixels);

  let offset = 0;
  const termImages = terms.map((t) => {
    const imgs = at(offset, t.members.length);
    offset += t.members.length;
    return { weight: t.weight, images: imgs, count: t.members.length };
  });
  const pixel = pixelArithmetic(termImages, pixels);
  const gridImages = at(memberCount + terms.length, GRID_CELLS);
  const gridScale = opts.gridScale ?? defaultGridScale(model.size);

  const [tiles, meanZTiles, meanPixelTiles, gridTiles, pixelTile, gridPng] = await Promise.all([
    Promise.all(termImages.map((t) => tilePngs(t.images, model))),
    tilePngs(at(memberCount, terms.length), model),
    Promise.all(termImages.map((t) => tilePngs(pixelArithmetic([{ weight: 1, images: t.images, count: t.count }], pixels), model))),
    tilePngs(gridImages, model),
    tilePngs(pixel, model),
    encodePng(imagesToGrid(gridImages, GRID_CELLS, model.size, model.channels, { cols: 3 }), gridScale),
  ]);

  return {
    expression: formatExpression(terms.map((t) => ({ label: t.symbol, weight: t.weight }))),
    terms: terms.map((t, i) => ({
      conceptId: t.conceptId,
      symbol: t.symbol,
      name: t.name,
      weight: t.weight,
      memberPngs: tiles[i],
      meanZPng: meanZTiles[i],
      meanPixelPng: meanPixelTiles[i][0],
    })),
    z: Array.from(y),
    label,
    noise: opts.noise,
    noiseSeed: opts.noiseSeed,
    grid: gridTiles,
    gridZ: Array.from({ length: GRID_CELLS }, (_, c) => Array.from(gridZ.subarray(c * model.zDim, (c + 1) * model.zDim))),
    gridPng: gridPng.toString('base64'),
    pixelPng: pixelTile[0],
    step,
  };
}

/** The typical length of a z from the prior: sqrt(d) for N(0, 1), sqrt(d/3) for U(-1, 1). */
export function typicalNorm(model: Pick<ModelConfig, 'zDim' | 'latent'>): number {
  return Math.sqrt(model.latent === 'uniform' ? model.zDim / 3 : model.zDim);
}

/**
 * Applies d = mean(a) - mean(b) to `base` at each strength and renders the frames.
 * @param a,b member z rows of the two concepts; base keeps its label in every frame.
 */
export async function renderDirection(
  drawer: Drawer,
  model: ModelConfig,
  step: number,
  args: { a: ConceptMember[]; b: ConceptMember[]; base: { z: number[]; label: number | null }; strengths: number[] },
): Promise<DirectionResult> {
  if (args.a.length === 0 || args.b.length === 0) throw new Error('Both concepts of a direction need samples');
  if (args.base.z.length !== model.zDim)
    throw new Error(`The base z has ${args.base.z.length} numbers; this project's z has ${model.zDim}`);
  const d = directionVector(
    args.a.map((m) => m.z),
    args.b.map((m) => m.z),
  );
  const z = applyDirection(args.base.z, d, args.strengths);
  if (model.numClasses > 0 && args.base.label === null) throw new Error('This conditional model needs a class for the base sample');
  const labels = labelRows(
    args.strengths.map(() => args.base.label),
    model.numClasses,
  );
  const pngs = await tilePngs(await drawer.images(z, labels), model);
  const n = norm(d);
  return {
    direction: Array.from(d),
    norm: n,
    relativeNorm: n / typicalNorm(model),
    label: model.numClasses > 0 ? args.base.label : null,
    frames: args.strengths.map((strength, i) => ({
      strength,
      z: Array.from(z.subarray(i * model.zDim, (i + 1) * model.zDim)),
      pngBase64: pngs[i],
    })),
    step,
  };
}
