/**
 * Parameters and forward passes of G and D, as pure functions over a `Network` (spec + variables).
 * Hand-written rather than tf.layers so every activation can be observed or edited by name
 * (feature maps, dropping G's maps, guided backprop) and checkpoints are plain named tensors.
 */
import type { LayerSpec, SamplingMode } from '../../shared/types';
import { tf } from '../backend/tf';
import { deriveSeed, Rng } from '../util/rng';
import { type Activation, INIT_STD, LEAKY_SLOPE } from './architecture';
import { biasShape, DEFAULT_BN_EPSILON, embeddingShape, weightShape } from './layer-math';
import { conv, deconv, dropout, flatten, gelu, upsampleNearest } from './layer-ops';

/** Moving statistics follow PyTorch's BatchNorm momentum 0.1, used for inference (sampling, walks). */
const BN_MOMENTUM = 0.1;

export interface Network {
  spec: LayerSpec[];
  /** Trainable: `${layer}.w`, `${layer}.b`, `${layer}.gamma`, `${layer}.beta`, `${layer}.embed`. */
  params: Map<string, tf.Variable>;
  /** Non-trainable BatchNorm moving statistics: `${layer}.mean`, `${layer}.var`. */
  stats: Map<string, tf.Variable>;
  /** BatchNorm at inference: moving statistics ('eval') or the batch's own ('train', as some sources sample). */
  sampling: SamplingMode;
}

export interface ForwardOptions {
  /** Batch statistics (training) or moving statistics (inference, so a sample does not depend on its batch). */
  training: boolean;
  /** Update BatchNorm moving statistics from this batch (once per training step). */
  updateStats?: boolean;
  /** Training only: seed of the dropout masks; without it dropout layers pass everything (as at inference). */
  dropoutSeed?: number;
  /** Sees (and may replace) each layer's output: feature maps, dropping G's maps. */
  tap?: (layer: string, activation: tf.Tensor4D) => tf.Tensor4D | void;
  /**
   * Computes a layer's nonlinearity instead of the built-in one (return undefined to keep it):
   * guided backpropagation swaps ReLU/LeakyReLU for versions with a gated gradient. Runs before `tap`.
   */
  activationOverride?: (activation: Activation, x: tf.Tensor4D, layer: string) => tf.Tensor4D | undefined;
}

let networkCount = 0;

/**
 * Weights ~ N(0, 0.02), BatchNorm gamma ~ N(1, 0.02), beta = 0 (paper Sec. 4; PyTorch reference),
 * biases 0, label embeddings ~ N(0, sqrt(2 / (classes + z))) (Glorot, as mnist-acgan). Draw order
 * (w then gamma per layer) is what every checkpoint since the first was made with.
 */
export function createNetwork(spec: LayerSpec[], rng: Rng, prefix: string, opts: { sampling?: SamplingMode } = {}): Network {
  const params = new Map<string, tf.Variable>();
  const stats = new Map<string, tf.Variable>();
  // tfjs variable names are global to the process: several projects (or tests) may be loaded at once.
  const scope = `${prefix}#${++networkCount}`;
  const variable = (name: string, shape: number[], values: Float32Array, trainable: boolean) =>
    tf.tidy(() => tf.variable(tf.tensor(values, shape), trainable, `${scope}/${name}`));
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  for (const layer of spec) {
    const shape = weightShape(layer);
    params.set(`${layer.name}.w`, variable(`${layer.name}.w`, shape, rng.fillNormal(new Float32Array(size(shape)), 0, INIT_STD), true));
    if (layer.bias) {
      const b = biasShape(layer);
      params.set(`${layer.name}.b`, variable(`${layer.name}.b`, b, new Float32Array(size(b)), true));
    }
    if (layer.batchNorm) {
      const c = layer.outChannels;
      params.set(`${layer.name}.gamma`, variable(`${layer.name}.gamma`, [c], rng.fillNormal(new Float32Array(c), 1, INIT_STD), true));
      params.set(`${layer.name}.beta`, variable(`${layer.name}.beta`, [c], new Float32Array(c), true));
      stats.set(`${layer.name}.mean`, variable(`${layer.name}.mean`, [c], new Float32Array(c), false));
      stats.set(`${layer.name}.var`, variable(`${layer.name}.var`, [c], new Float32Array(c).fill(1), false));
    }
    const e = embeddingShape(layer);
    if (e) {
      const std = Math.sqrt(2 / (e[0] + e[1]));
      params.set(`${layer.name}.embed`, variable(`${layer.name}.embed`, e, rng.fillNormal(new Float32Array(size(e)), 0, std), true));
    }
  }
  return { spec, params, stats, sampling: opts.sampling ?? 'eval' };
}

export function disposeNetwork(net: Network): void {
  for (const v of net.params.values()) v.dispose();
  for (const v of net.stats.values()) v.dispose();
}

export const trainableVariables = (net: Network): tf.Variable[] => [...net.params.values()];

/**
 * Moves a BatchNorm layer's running statistics towards this batch's (PyTorch's rule: momentum 0.1,
 * the running variance takes the unbiased batch variance). `x` is the layer's input [B,H,W,C].
 */
export function updateMovingStats(net: Network, layer: LayerSpec, x: tf.Tensor4D, mean: tf.Tensor1D, variance: tf.Tensor1D): void {
  const movingMean = net.stats.get(`${layer.name}.mean`)!;
  const movingVar = net.stats.get(`${layer.name}.var`)!;
  const n = x.shape[0] * x.shape[1] * x.shape[2];
  const unbiased = n > 1 ? n / (n - 1) : 1;
  tf.tidy(() => {
    movingMean.assign(tf.add(tf.mul(movingMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
    movingVar.assign(tf.add(tf.mul(movingVar, 1 - BN_MOMENTUM), tf.mul(variance, BN_MOMENTUM * unbiased)));
  });
}

function batchNorm(net: Network, layer: LayerSpec, x: tf.Tensor4D, opts: ForwardOptions): tf.Tensor4D {
  const gamma = net.params.get(`${layer.name}.gamma`)! as tf.Variable<tf.Rank.R1>;
  const beta = net.params.get(`${layer.name}.beta`)! as tf.Variable<tf.Rank.R1>;
  const movingMean = net.stats.get(`${layer.name}.mean`)! as tf.Variable<tf.Rank.R1>;
  const movingVar = net.stats.get(`${layer.name}.var`)! as tf.Variable<tf.Rank.R1>;
  const eps = layer.bnEpsilon ?? DEFAULT_BN_EPSILON;
  if (!opts.training && net.sampling === 'eval') return tf.batchNorm4d(x, movingMean, movingVar, beta, gamma, eps);
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  // Bookkeeping, not part of the loss: tfjs prunes ops that do not lead to the loss from backprop.
  if (opts.training && opts.updateStats) updateMovingStats(net, layer, x, mean as tf.Tensor1D, variance as tf.Tensor1D);
  return tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, eps);
}

function activate(x: tf.Tensor4D, activation: LayerSpec['activation']): tf.Tensor4D {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'lrelu':
      return tf.leakyRelu(x, LEAKY_SLOPE);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'gelu':
      return gelu(x);
    case 'none':
      return x;
  }
}

/** The layer's affine part: matmul / conv / transposed conv, plus its bias. */
function affine(net: Network, layer: LayerSpec, x: tf.Tensor): tf.Tensor4D {
  const w = net.params.get(`${layer.name}.w`)!;
  const batch = x.shape[0];
  let y: tf.Tensor;
  if (layer.kind === 'project' || layer.kind === 'linear') {
    y = tf.matMul(flatten(x, layer.globalPool === true), w as tf.Tensor2D);
  } else if (layer.kind === 'deconv') {
    y = deconv(x as tf.Tensor4D, w as tf.Tensor4D, layer);
  } else {
    y = conv(upsampleNearest(x as tf.Tensor4D, layer.upsample ?? 1), w as tf.Tensor4D, layer);
  }
  if (layer.bias) y = tf.add(y, net.params.get(`${layer.name}.b`)!);
  return tf.reshape(y, [batch, layer.outSize, layer.outSize, layer.outChannels]);
}

function applyLayer(net: Network, layer: LayerSpec, x: tf.Tensor, opts: ForwardOptions, index: number): tf.Tensor4D {
  let y = affine(net, layer, x);
  if (layer.batchNorm && !layer.bnAfterActivation) y = batchNorm(net, layer, y, opts);
  y = opts.activationOverride?.(layer.activation, y, layer.name) ?? activate(y, layer.activation);
  if (layer.dropout && opts.training && opts.dropoutSeed !== undefined) {
    y = dropout(y, layer.dropout.rate, layer.dropout.spatial, deriveSeed(opts.dropoutSeed, index));
  }
  if (layer.batchNorm && layer.bnAfterActivation) y = batchNorm(net, layer, y, opts);
  return (opts.tap?.(layer.name, y) as tf.Tensor4D | undefined) ?? y;
}

/**
 * G(z): z [B, zDim], optional one-hot labels [B, K] -> images [B, S, S, C] in [-1, 1].
 * Conditional models concatenate the one-hot label to z (Mirza & Osindero's CGAN), or multiply z
 * by the label's embedding (AC-GAN, as tfjs-examples mnist-acgan). A net with [0, 1] pixels
 * (sigmoid output) is mapped to Ganvas's [-1, 1].
 */
export function generate(net: Network, z: tf.Tensor2D, onehot: tf.Tensor2D | null, opts: ForwardOptions): tf.Tensor4D {
  const first = net.spec[0];
  let x: tf.Tensor = z;
  if (onehot && first.condition?.kind === 'embed-multiply') {
    x = tf.mul(z, tf.matMul(onehot, net.params.get(`${first.name}.embed`)! as tf.Tensor2D));
  } else if (onehot && first.condition?.kind !== 'none') {
    x = tf.concat([z, onehot], 1);
  }
  net.spec.forEach((layer, i) => (x = applyLayer(net, layer, x, opts, i)));
  return (net.spec.at(-1)!.unitPixels ? tf.sub(tf.mul(x, 2), 1) : x) as tf.Tensor4D;
}

/**
 * D(x): images [B, S, S, C] in [-1, 1], optional one-hot labels [B, K] -> logits [B].
 * Conditional models append K constant label maps to the input channels (unless D ignores labels).
 */
export function discriminate(net: Network, images: tf.Tensor4D, onehot: tf.Tensor2D | null, opts: ForwardOptions): tf.Tensor1D {
  const first = net.spec[0];
  let x: tf.Tensor4D = first.unitPixels ? tf.div(tf.add(images, 1), 2) : images;
  if (onehot && first.condition?.kind !== 'none') {
    const [b, h, w] = images.shape;
    const maps = tf.tile(tf.reshape(onehot, [b, 1, 1, onehot.shape[1]]), [1, h, w, 1]);
    x = tf.concat([x, maps], 3) as tf.Tensor4D;
  }
  net.spec.forEach((layer, i) => (x = applyLayer(net, layer, x, opts, i)));
  return tf.reshape(x, [x.shape[0]]) as tf.Tensor1D;
}
