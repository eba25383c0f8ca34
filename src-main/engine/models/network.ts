/**
 * Parameters and forward passes of G and D, as pure functions over a `Network` (spec + variables).
 * Hand-written rather than tf.layers so every activation can be observed or edited by name
 * (feature maps, dropping G's maps, guided backprop) and checkpoints are plain named tensors.
 */
import { tf } from '../backend/tf';
import { Rng } from '../util/rng';
import { type Activation, INIT_STD, LEAKY_SLOPE, type LayerSpec, weightShape } from './architecture';

const BN_EPSILON = 1e-5;
/** Moving statistics follow PyTorch's BatchNorm momentum 0.1, used for inference (sampling, walks). */
const BN_MOMENTUM = 0.1;

export interface Network {
  spec: LayerSpec[];
  /** Trainable: `${layer}.w`, `${layer}.gamma`, `${layer}.beta`. */
  params: Map<string, tf.Variable>;
  /** Non-trainable BatchNorm moving statistics: `${layer}.mean`, `${layer}.var`. */
  stats: Map<string, tf.Variable>;
}

export interface ForwardOptions {
  /** Batch statistics (training) or moving statistics (inference, so a sample does not depend on its batch). */
  training: boolean;
  /** Update BatchNorm moving statistics from this batch (once per training step). */
  updateStats?: boolean;
  /** Sees (and may replace) each layer's post-activation output: feature maps, dropping G's maps. */
  tap?: (layer: string, activation: tf.Tensor4D) => tf.Tensor4D | void;
  /**
   * Computes a layer's nonlinearity instead of the built-in one (return undefined to keep it):
   * guided backpropagation swaps ReLU/LeakyReLU for versions with a gated gradient. Runs before `tap`.
   */
  activationOverride?: (activation: Activation, x: tf.Tensor4D, layer: string) => tf.Tensor4D | undefined;
}

/** Weights ~ N(0, 0.02), BatchNorm gamma ~ N(1, 0.02), beta = 0 (paper Sec. 4; PyTorch reference). */
let networkCount = 0;

export function createNetwork(spec: LayerSpec[], rng: Rng, prefix: string): Network {
  const params = new Map<string, tf.Variable>();
  const stats = new Map<string, tf.Variable>();
  // tfjs variable names are global to the process: several projects (or tests) may be loaded at once.
  const scope = `${prefix}#${++networkCount}`;
  const variable = (name: string, shape: number[], values: Float32Array, trainable: boolean) =>
    tf.tidy(() => tf.variable(tf.tensor(values, shape), trainable, `${scope}/${name}`));
  for (const layer of spec) {
    const shape = weightShape(layer);
    const size = shape.reduce((a, b) => a * b, 1);
    params.set(`${layer.name}.w`, variable(`${layer.name}.w`, shape, rng.fillNormal(new Float32Array(size), 0, INIT_STD), true));
    if (layer.batchNorm) {
      const c = layer.outChannels;
      params.set(`${layer.name}.gamma`, variable(`${layer.name}.gamma`, [c], rng.fillNormal(new Float32Array(c), 1, INIT_STD), true));
      params.set(`${layer.name}.beta`, variable(`${layer.name}.beta`, [c], new Float32Array(c), true));
      stats.set(`${layer.name}.mean`, variable(`${layer.name}.mean`, [c], new Float32Array(c), false));
      stats.set(`${layer.name}.var`, variable(`${layer.name}.var`, [c], new Float32Array(c).fill(1), false));
    }
  }
  return { spec, params, stats };
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
  if (!opts.training) return tf.batchNorm4d(x, movingMean, movingVar, beta, gamma, BN_EPSILON);
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  // Bookkeeping, not part of the loss: tfjs prunes ops that do not lead to the loss from backprop.
  if (opts.updateStats) updateMovingStats(net, layer, x, mean as tf.Tensor1D, variance as tf.Tensor1D);
  return tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, BN_EPSILON);
}

function activate(x: tf.Tensor4D, activation: LayerSpec['activation']): tf.Tensor4D {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'lrelu':
      return tf.leakyRelu(x, LEAKY_SLOPE);
    case 'none':
      return x;
  }
}

function applyLayer(net: Network, layer: LayerSpec, x: tf.Tensor, opts: ForwardOptions): tf.Tensor4D {
  const w = net.params.get(`${layer.name}.w`)!;
  const batch = x.shape[0];
  let y: tf.Tensor4D;
  if (layer.kind === 'project') {
    y = tf.reshape(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), [batch, layer.outSize, layer.outSize, layer.outChannels]);
  } else if (layer.kind === 'deconv') {
    const outShape: [number, number, number, number] = [batch, layer.outSize, layer.outSize, layer.outChannels];
    y = tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, outShape, layer.stride, layer.padding);
  } else {
    y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, layer.stride, layer.padding);
  }
  if (layer.batchNorm) y = batchNorm(net, layer, y, opts);
  y = opts.activationOverride?.(layer.activation, y, layer.name) ?? activate(y, layer.activation);
  return (opts.tap?.(layer.name, y) as tf.Tensor4D | undefined) ?? y;
}

/**
 * G(z): z [B, zDim], optional one-hot labels [B, K] -> images [B, S, S, C] in [-1, 1].
 * Conditional models concatenate the one-hot label to z (Mirza & Osindero's CGAN).
 */
export function generate(net: Network, z: tf.Tensor2D, onehot: tf.Tensor2D | null, opts: ForwardOptions): tf.Tensor4D {
  let x: tf.Tensor = onehot ? tf.concat([z, onehot], 1) : z;
  for (const layer of net.spec) x = applyLayer(net, layer, x, opts);
  return x as tf.Tensor4D;
}

/**
 * D(x): images [B, S, S, C], optional one-hot labels [B, K] -> logits [B].
 * Conditional models append K constant label maps to the input channels.
 */
export function discriminate(net: Network, images: tf.Tensor4D, onehot: tf.Tensor2D | null, opts: ForwardOptions): tf.Tensor1D {
  let x: tf.Tensor4D = images;
  if (onehot) {
    const [b, h, w] = images.shape;
    const maps = tf.tile(tf.reshape(onehot, [b, 1, 1, onehot.shape[1]]), [1, h, w, 1]);
    x = tf.concat([images, maps], 3) as tf.Tensor4D;
  }
  for (const layer of net.spec) x = applyLayer(net, layer, x, opts);
  return tf.reshape(x, [x.shape[0]]) as tf.Tensor1D;
}
