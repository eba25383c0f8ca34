/**
 * Guided backpropagation (Springenberg et al. 2015), as in the paper's Fig. 5: the input pattern a
 * unit of D's last conv layer responds to, from the gradient of its maximal response with respect
 * to the image, where every nonlinearity lets a gradient through only where it is positive.
 *
 * Rule at a ReLU y = max(x, 0): dx = dy * [x > 0] * [dy > 0] (backprop's gate on the input AND
 * the deconvnet's gate on the gradient). At D's LeakyReLU(0.2) the backprop factor is the
 * activation's own slope, used consistently: dx = dy * (x > 0 ? 1 : 0.2) * [dy > 0]; with slope
 * 0 that is exactly the ReLU rule. BatchNorm (inference mode) and convolutions are linear and
 * pass gradients unchanged.
 */
import type { GuidedBackprop, GuidedSet, TileGrid } from '../../shared/types/inspect';
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { discriminatorSpec, LEAKY_SLOPE, type Activation } from '../models/architecture';
import type { GanAt } from '../project/models';
import type { Project } from '../project/project';
import { createNetwork, discriminate, disposeNetwork, type ForwardOptions, type Network } from '../models/network';
import { oneHot } from '../sampling/noise';
import { deriveSeed, Rng, Stream } from '../util/rng';
import { channelStats, runDiscriminator } from './activations';
import { RANKED_COLS, sampleGrid } from './features';
import { openProjectDataset, realLabels, realPool } from './sources';
import { symmetricByte, tileGridPng } from './tiles';

/**
 * A nonlinearity with the guided gradient: forward `max(x, 0)` (slope 0) or LeakyReLU(slope);
 * backward `relu(dy) * (x > 0 ? 1 : slope)`.
 */
export function guidedActivation(slope: number): (x: tf.Tensor4D) => tf.Tensor4D {
  const f = (x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    const value = slope === 0 ? tf.relu(x) : tf.leakyRelu(x, slope);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(tf.relu(dy), tf.where(tf.greater(saved[0], 0), tf.onesLike(dy), tf.fill(dy.shape, slope))),
    };
  };
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D) => tf.Tensor4D;
}

const guidedRelu = guidedActivation(0);
const guidedLeaky = guidedActivation(LEAKY_SLOPE);

/** `activationOverride` that swaps D's and G's rectifiers for their guided versions. */
export const guidedOverride: NonNullable<ForwardOptions['activationOverride']> = (kind: Activation, x) =>
  kind === 'relu' ? guidedRelu(x) : kind === 'lrelu' ? guidedLeaky(x) : undefined;

/**
 * d/d(image) of the maximal response of `channel` of D's layer `layer`, one gradient per image.
 * @param images n x S x S x C floats, NHWC. @param onehot [n, K] or null.
 * @param mode 'guided' (gated rectifiers) or 'plain' (the ordinary gradient, for comparison).
 * @returns n x S x S x C gradients.
 */
export function responseGradient(
  D: Network,
  images: tf.Tensor4D,
  onehot: tf.Tensor2D | null,
  layer: string,
  channel: number,
  mode: 'guided' | 'plain' = 'guided',
): tf.Tensor4D {
  return tf.tidy(() => {
    const response = (x: tf.Tensor4D): tf.Scalar => {
      let act: tf.Tensor4D | null = null;
      const opts: ForwardOptions = {
        training: false,
        activationOverride: mode === 'guided' ? guidedOverride : undefined,
        tap: (name, a) => {
          if (name === layer) act = a;
        },
      };
      discriminate(D, x, onehot, opts);
      if (!act) throw new Error(`D has no layer '${layer}'`);
      const [n, h, w] = (act as tf.Tensor4D).shape;
      const unit = tf.slice(act as tf.Tensor4D, [0, 0, 0, channel], [n, h, w, 1]);
      // Each image's strongest response (the paper's "maximal axis-aligned responses"); images are
      // independent in inference mode, so the sum's gradient is each image's own.
      return tf.sum(tf.max(unit, [1, 2, 3]));
    };
    return tf.grad((x) => response(x as tf.Tensor4D))(images) as tf.Tensor4D;
  });
}

/** D's last conv layer: the one before the single-logit layer. */
export const lastConvLayer = (D: Network) => D.spec.at(-2)!.name;

const randomDs = new Map<string, Network>();

/** This project's D at its random initialisation (same seed as training's step 0): the baseline. */
export function randomDiscriminator(project: Project): Network {
  const { dir, config } = project;
  const key = `${dir}|${JSON.stringify(config.model)}|${config.train.seed}`;
  let net = randomDs.get(key);
  if (!net) {
    for (const [k, old] of randomDs) {
      if (!k.startsWith(`${dir}|`)) continue;
      disposeNetwork(old);
      randomDs.delete(k);
    }
    // The same draw as buildGan's D, so "random" is exactly the untrained D of this project.
    net = createNetwork(discriminatorSpec(config.model), new Rng(deriveSeed(config.train.seed, Stream.init, 2)), 'D');
    randomDs.set(key, net);
  }
  return net;
}

export interface GuidedOptions {
  channel: number;
  pool?: number;
  top?: number;
  seed?: number;
}

const CHUNK = 64;

async function patternsGrid(grads: Float32Array, n: number, model: ModelConfig): Promise<TileGrid> {
  const per = model.size * model.size * model.channels;
  const maxAbs = new Float64Array(n);
  for (let t = 0; t < n; t++) for (let p = 0; p < per; p++) maxAbs[t] = Math.max(maxAbs[t], Math.abs(grads[t * per + p]));
  return tileGridPng(
    { count: n, tileWidth: model.size, tileHeight: model.size, channels: model.channels, pad: 2, cols: RANKED_COLS },
    (t, x, y, c) => symmetricByte(grads[t * per + (y * model.size + x) * model.channels + c], maxAbs[t]),
  );
}

/** The top real images of a pool for one D and their guided-backprop patterns. */
async function guidedSet(D: Network, project: Project, layer: string, opts: Required<GuidedOptions>): Promise<GuidedSet> {
  const { model } = project.config;
  const ds = openProjectDataset(project);
  try {
    const indices = realPool(ds.count, opts.pool, opts.seed);
    const scores: number[] = [];
    for (let start = 0; start < indices.length; start += CHUNK) {
      const batch = ds.readBatch(indices.slice(start, start + CHUNK));
      const { acts } = runDiscriminator(D, model, batch.images, realLabels(model, batch.labels), (l) => l === layer);
      scores.push(...channelStats(acts.get(layer)!, opts.channel).maxes);
    }
    const order = scores
      .map((_, j) => j)
      .sort((a, b) => scores[b] - scores[a] || a - b)
      .slice(0, opts.top);
    const best = ds.readBatch(order.map((j) => indices[j]));
    const labels = realLabels(model, best.labels);
    const n = order.length;
    const grads = tf.tidy(() => {
      const x = tf.tensor4d(best.images, [n, model.size, model.size, model.channels]);
      const onehot = labels ? oneHot(labels, model.numClasses) : null;
      return responseGradient(D, x, onehot, layer, opts.channel, 'guided');
    });
    const data = grads.dataSync() as Float32Array;
    grads.dispose();
    return {
      items: order.map((j, r) => ({ index: indices[j], score: scores[j], label: labels?.[r] ?? null })),
      images: await sampleGrid(best.images, n, model),
      patterns: await patternsGrid(data, n, model),
    };
  } finally {
    ds.close();
  }
}

/** Guided backpropagation of `channel` of D's last conv layer, for the trained D and its random initialisation. */
export async function guidedBackprop(project: Project, gan: GanAt, opts: GuidedOptions): Promise<GuidedBackprop> {
  const { step } = gan;
  const layer = lastConvLayer(gan.D);
  const channels = gan.D.spec.at(-2)!.outChannels;
  if (opts.channel >= channels) throw new Error(`${layer} has channels 0..${channels - 1}, not ${opts.channel}`);
  const full = { channel: opts.channel, pool: opts.pool ?? 256, top: opts.top ?? 8, seed: opts.seed ?? 0 };
  const trained = await guidedSet(gan.D, project, layer, full);
  const random = await guidedSet(randomDiscriminator(project), project, layer, full);
  return { step, layer, channel: opts.channel, pool: full.pool, seed: full.seed, trained, random };
}
