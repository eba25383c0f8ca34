/**
 * Forgetting to draw objects (paper Sec. 6.3.1, Fig. 6): the user boxes an object on generated
 * samples; a logistic regression on G's activations at each spatial position predicts "inside a
 * box"; the feature maps with positive weights (the paper's criterion) are dropped, i.e. zeroed
 * everywhere in that layer, and the same z are rendered again.
 *
 * Default layer: G's layer just before the output layer (g1 for 28x28, g3 for 64x64), the
 * highest layer with feature maps. The paper says "second highest convolution layer"; counting
 * the output (image) layer as the highest, that is this one. Any hidden layer can be chosen.
 */
import type { ForgetBox, ForgetFit, ForgetRender, ForgetSampleBoxes } from '../../shared/types/inspect';
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import type { LayerSpec } from '../models/architecture';
import type { Networks } from '../models/gan';
import type { Network } from '../models/network';
import { encodePng, imagesToGrid } from '../sampling/grid';
import { deriveSeed, permutation, Rng } from '../util/rng';
import { runGenerator, type Edit } from './activations';
import { findLayer } from './filters';
import { fitLogistic } from './logistic';
import { firstIndices, generatedRows } from './sources';

/** G's layer before the output layer. */
export const defaultForgetLayer = (G: Network) => G.spec.at(-2)!.name;

/** A hidden layer of G (not the output image), by name; default: `defaultForgetLayer`. */
export function forgetLayer(G: Network, name?: string): LayerSpec {
  const layer = findLayer(G, name ?? defaultForgetLayer(G), 'G');
  if (layer === G.spec.at(-1))
    throw new Error(
      `${layer.name} is G's output (the image itself): choose one of ${G.spec
        .slice(0, -1)
        .map((l) => l.name)
        .join(', ')}`,
    );
  return layer;
}

/**
 * 1 where the centre of a position of an h x h feature map, mapped to image pixels, is inside any box.
 * @returns h*h labels, row-major.
 */
export function boxLabels(boxes: ForgetBox[], imageSize: number, h: number): Uint8Array {
  const out = new Uint8Array(h * h);
  const cell = imageSize / h;
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < h; px++) {
      const cx = (px + 0.5) * cell;
      const cy = (py + 0.5) * cell;
      out[py * h + px] = boxes.some((b) => cx >= b.x0 && cx < b.x1 && cy >= b.y0 && cy < b.y1) ? 1 : 0;
    }
  }
  return out;
}

/** An `Edit` that zeroes `channels` of `layer` (all positions, every sample). */
export function dropMaps(layer: string, channels: number[], total: number): Edit {
  const mask = new Float32Array(total).fill(1);
  for (const c of channels) {
    if (c >= total) throw new Error(`${layer} has channels 0..${total - 1}, not ${c}`);
    mask[c] = 0;
  }
  return (name, a) => (name === layer && channels.length ? (tf.mul(a, tf.tensor4d(mask, [1, 1, 1, total])) as tf.Tensor4D) : undefined);
}

/** Most positions fitted per class: keeps the fit within seconds for 150 boxed 64x64 samples. */
const MAX_POSITIVES = 10_000;
const MAX_NEGATIVES = 20_000;
const CHUNK = 64;

/** Keeps at most `max` of `rows` (a seeded, order-preserving subset). */
function capRows(rows: number[], max: number, seed: number): number[] {
  if (rows.length <= max) return rows;
  const perm = permutation(rows.length, new Rng(seed));
  return Array.from(perm.subarray(0, max))
    .sort((a, b) => a - b)
    .map((i) => rows[i]);
}

export interface ForgetFitOptions {
  layer?: string;
  samples: ForgetSampleBoxes[];
  /** Maps with a weight above this are selected (the paper: > 0). */
  threshold?: number;
  l2?: number;
}

/** Per-position activations of the boxed samples and their inside/outside labels, then the regression. */
export function fitForget(gan: Networks, model: ModelConfig, step: number, opts: ForgetFitOptions): ForgetFit {
  const layer = forgetLayer(gan.G, opts.layer);
  const boxed = opts.samples.filter((s) => s.boxes.length > 0);
  if (boxed.length === 0) throw new Error('Draw at least one box around the object on a sample first');
  const { outSize: h, outChannels: c } = layer;
  const positions: Float32Array[] = [];
  const labels: number[] = [];
  // One z stream per (seed, class), so a tile's z is drawn once however many tiles share the seed.
  const groups = new Map<string, ForgetSampleBoxes[]>();
  for (const s of boxed) {
    const key = `${s.seed}|${s.classIndex ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += CHUNK) {
      const chunk = group.slice(start, start + CHUNK);
      const { z, labels: classes } = generatedRows(
        model,
        chunk[0].seed,
        chunk.map((s) => s.index),
        chunk[0].classIndex,
      );
      const act = runGenerator(gan.G, model, z, classes, (l) => l === layer.name).acts.get(layer.name)!;
      chunk.forEach((s, j) => {
        const inside = boxLabels(s.boxes, model.size, h);
        for (let p = 0; p < h * h; p++) {
          positions.push(act.data.subarray((j * h * h + p) * c, (j * h * h + p + 1) * c));
          labels.push(inside[p]);
        }
      });
    }
  }
  const pos = labels.flatMap((v, i) => (v ? [i] : []));
  const neg = labels.flatMap((v, i) => (v ? [] : [i]));
  if (pos.length === 0) throw new Error(`The boxes cover no position of ${layer.name}'s ${h}x${h} maps: draw bigger boxes`);
  if (neg.length === 0) throw new Error('The boxes cover every position: leave some of each sample outside the boxes');
  const rows = [...capRows(pos, MAX_POSITIVES, deriveSeed(step, 1)), ...capRows(neg, MAX_NEGATIVES, deriveSeed(step, 2))];
  const X = new Float32Array(rows.length * c);
  const y = new Uint8Array(rows.length);
  rows.forEach((r, i) => {
    X.set(positions[r], i * c);
    y[i] = labels[r];
  });
  const fit = fitLogistic(X, y, c, { l2: opts.l2 });
  const threshold = opts.threshold ?? 0;
  const weights = Array.from(fit.weights);
  const selected = weights
    .map((w, ch) => ({ w, ch }))
    .filter((e) => e.w > threshold)
    .sort((a, b) => b.w - a.w || a.ch - b.ch)
    .map((e) => e.ch);
  return {
    step,
    layer: layer.name,
    channels: c,
    weights,
    bias: fit.bias,
    selected,
    threshold,
    positives: Math.min(pos.length, MAX_POSITIVES),
    negatives: Math.min(neg.length, MAX_NEGATIVES),
    balancedAccuracy: fit.balancedAccuracy,
  };
}

export interface ForgetRenderOptions {
  layer?: string;
  drop: number[];
  seed: number;
  count: number;
  classIndex?: number;
  scale?: number;
}

async function tilePngs(images: Float32Array, count: number, model: ModelConfig, scale: number): Promise<string[]> {
  const per = model.size * model.size * model.channels;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const img = imagesToGrid(images.subarray(i * per, (i + 1) * per), 1, model.size, model.channels, { pad: 0 });
    out.push((await encodePng(img, scale)).toString('base64'));
  }
  return out;
}

/** Tiles 0..count-1 of `seed`, unchanged and with `drop` zeroed in the layer (same z, same labels). */
export async function renderForget(gan: Networks, model: ModelConfig, step: number, opts: ForgetRenderOptions): Promise<ForgetRender> {
  const layer = forgetLayer(gan.G, opts.layer);
  const dropped = [...new Set(opts.drop)].sort((a, b) => a - b);
  const { z, labels } = generatedRows(model, opts.seed, firstIndices(opts.count), opts.classIndex);
  const scale = opts.scale ?? 1;
  const before = await tilePngs(runGenerator(gan.G, model, z, labels, () => false).images, opts.count, model, scale);
  const after = dropped.length
    ? await tilePngs(
        runGenerator(gan.G, model, z, labels, () => false, dropMaps(layer.name, dropped, layer.outChannels)).images,
        opts.count,
        model,
        scale,
      )
    : before;
  return { step, layer: layer.name, dropped, seed: opts.seed, before, after, size: model.size * scale };
}
