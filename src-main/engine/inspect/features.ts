/**
 * Feature maps (paper Sec. 6.2/6.3: what G's and D's units respond to): the activations of every
 * layer for one sample, and the samples of a pool that excite one channel most.
 */
import type {
  ActivationRank,
  FeatureLayer,
  FeatureMaps,
  InspectNet,
  InspectSource,
  TileGrid,
  TopActivating,
} from '../../shared/types/inspect';
import type { ModelConfig } from '../../shared/types';
import type { Network } from '../models/network';
import type { GanAt } from '../project/models';
import type { Project } from '../project/project';
import { encodePng, imagesToGrid } from '../sampling/grid';
import type { Drawer } from '../sampling/drawer';
import { localDrawer } from '../sampling/local-drawer';
import { channelMap, channelStats, type Activation } from './activations';
import { findLayer } from './filters';
import { firstIndices, generatedRows, openProjectDataset, realLabels, realPool } from './sources';
import { rangeByte, tileGridPng } from './tiles';

/** D's layers with feature maps: all but the final single-logit layer. */
export const dFeatureLayers = (D: Network) => D.spec.slice(0, -1).map((l) => l.name);

/** Images for a set of samples, and the labels the networks see with them. */
export interface SampleImages {
  images: Float32Array;
  labels: number[] | null;
  /** G's activations when the samples were generated (captured layers only). */
  gActs: Map<string, Activation> | null;
}

/** Generated tiles `indices` of `seed` (drawn by `drawer`) or dataset images `indices`, capturing G's layers in `gCapture`. */
export async function sampleImages(
  project: Project,
  drawer: Drawer,
  source: 'generated' | 'real',
  indices: number[],
  opts: { seed?: number; classIndex?: number; gCapture?: readonly string[] } = {},
): Promise<SampleImages> {
  const { model } = project.config;
  if (source === 'generated') {
    const { z, labels } = generatedRows(model, opts.seed ?? 0, indices, opts.classIndex);
    const { images, acts } = await drawer.generator(z, labels, opts.gCapture ?? []);
    return { images, labels, gActs: acts };
  }
  const ds = openProjectDataset(project);
  try {
    const batch = ds.readBatch(indices);
    return { images: batch.images, labels: realLabels(model, batch.labels), gActs: null };
  } finally {
    ds.close();
  }
}

/** A [1, h, w, c] activation as c tiles, each min-max normalised on its own (a dead channel is black). */
async function featureLayer(net: InspectNet, layer: string, a: Activation): Promise<FeatureLayer> {
  const [, h, w, c] = a.shape;
  const means: number[] = [];
  const maxes: number[] = [];
  const lo = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    const map = channelMap(a, 0, ch);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of map) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    means.push(sum / map.length);
    maxes.push(max);
    lo[ch] = min;
  }
  const grid = await tileGridPng({ count: c, tileWidth: w, tileHeight: h, channels: 1 }, (t, x, y) =>
    rangeByte(a.data[(y * w + x) * c + t], lo[t], maxes[t]),
  );
  return { net, layer, size: h, channels: c, grid, means, maxes };
}

/**
 * Every layer's activations for one sample: G's and D's for a generated one, D's for a dataset image.
 * @param drawer where the networks run (default: this process's backend)
 */
export async function featureMaps(
  project: Project,
  gan: GanAt,
  source: InspectSource,
  drawer: Drawer = localDrawer(project.config.model, gan),
): Promise<FeatureMaps> {
  const { model } = project.config;
  const gLayers = gan.G.spec.map((l) => l.name);
  const s =
    source.kind === 'generated'
      ? await sampleImages(project, drawer, 'generated', [source.index], {
          seed: source.seed,
          classIndex: source.classIndex,
          gCapture: gLayers,
        })
      : await sampleImages(project, drawer, 'real', [source.index]);
  const dLayers = dFeatureLayers(gan.D);
  const { logits, acts } = await drawer.discriminator(s.images, s.labels, dLayers);
  const G = s.gActs ? await Promise.all(gLayers.map((l) => featureLayer('G', l, s.gActs!.get(l)!))) : null;
  const D = await Promise.all(dLayers.map((l) => featureLayer('D', l, acts.get(l)!)));
  const png = await encodePng(imagesToGrid(s.images, 1, model.size, model.channels, { pad: 0 }));
  return { step: gan.step, source, imagePngBase64: png.toString('base64'), label: s.labels?.[0] ?? null, G, D, dLogit: logits[0] };
}

export interface TopOptions {
  net: InspectNet;
  layer: string;
  channel: number;
  source: 'generated' | 'real';
  rank?: ActivationRank;
  pool?: number;
  top?: number;
  seed?: number;
}

const CHUNK = 64;

/** Ranked samples sit in rows of 8, best first, so a row reads left to right. */
export const RANKED_COLS = 8;

/** A grid of sample images (NHWC floats in [-1, 1]). */
export async function sampleGrid(images: Float32Array, n: number, model: ModelConfig, cols = RANKED_COLS): Promise<TileGrid> {
  const per = model.size * model.size * model.channels;
  return tileGridPng({ count: n, tileWidth: model.size, tileHeight: model.size, channels: model.channels, pad: 2, cols }, (t, x, y, c) => {
    const v = images[t * per + (y * model.size + x) * model.channels + c];
    const b = Math.round((v + 1) * 127.5);
    return b < 0 ? 0 : b > 255 ? 255 : b;
  });
}

/**
 * The `top` samples of a pool that excite `channel` of `layer` most, by the channel's spatial
 * mean (how much of the sample it covers) or max (its strongest single response).
 */
export async function topActivating(
  project: Project,
  gan: GanAt,
  opts: TopOptions,
  drawer: Drawer = localDrawer(project.config.model, gan),
): Promise<TopActivating> {
  const { model } = project.config;
  const { step } = gan;
  const { net, layer, channel, source } = opts;
  const rank = opts.rank ?? 'mean';
  const seed = opts.seed ?? 0;
  const top = opts.top ?? 16;
  if (net === 'G' && source === 'real') throw new Error("G's feature maps exist only for generated samples: choose source 'generated'");
  const spec = findLayer(net === 'G' ? gan.G : gan.D, layer, net);
  if (net === 'D' && spec === gan.D.spec.at(-1))
    throw new Error(`${layer} is D's output logit: choose one of ${dFeatureLayers(gan.D).join(', ')}`);
  if (channel >= spec.outChannels) throw new Error(`${layer} has channels 0..${spec.outChannels - 1}, not ${channel}`);

  let indices: number[];
  if (source === 'generated') indices = firstIndices(opts.pool ?? 256);
  else {
    const ds = openProjectDataset(project);
    const count = ds.count;
    ds.close();
    indices = realPool(count, opts.pool ?? 256, seed);
  }
  const activationsOf = async (idx: number[]) => {
    const s = await sampleImages(project, drawer, source, idx, { seed, gCapture: net === 'G' ? [layer] : undefined });
    const act = net === 'G' ? s.gActs!.get(layer)! : (await drawer.discriminator(s.images, s.labels, [layer])).acts.get(layer)!;
    return { ...s, act };
  };

  const scores: number[] = [];
  for (let start = 0; start < indices.length; start += CHUNK) {
    const { act } = await activationsOf(indices.slice(start, start + CHUNK));
    const { means, maxes } = channelStats(act, channel);
    scores.push(...(rank === 'mean' ? means : maxes));
  }
  const order = scores
    .map((_, j) => j)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, top);
  const best = await activationsOf(order.map((j) => indices[j]));

  const [, h, w] = best.act.shape;
  const maps = order.map((_, j) => channelMap(best.act, j, channel));
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of maps) {
    for (const v of m) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return {
    step,
    net,
    layer,
    channel,
    source,
    rank,
    pool: indices.length,
    seed,
    items: order.map((j, r) => ({ index: indices[j], score: scores[j], label: best.labels?.[r] ?? null })),
    images: await sampleGrid(best.images, order.length, model),
    maps: await tileGridPng({ count: order.length, tileWidth: w, tileHeight: h, channels: 1, pad: 2, cols: RANKED_COLS }, (t, x, y) =>
      rangeByte(maps[t][y * w + x], lo, hi),
    ),
  };
}
