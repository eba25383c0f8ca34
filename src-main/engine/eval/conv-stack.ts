/**
 * The small stride-2 convnet both fixed feature spaces are made of: the labelled quality score's
 * classifier (fd-classifier.ts) and run health's label-free space (health/feature-net.ts).
 * 3x3 'same' convs with bias and ReLU, stride 2 until the map is at most 4x4, then the last
 * layer's spatial mean as features. Only the widths differ.
 */
import { tf } from '../backend/tf';
import type { Rng } from '../util/rng';

export interface ConvLayer {
  name: string;
  inChannels: number;
  outChannels: number;
}

/** Initial values of named parameters, before they become variables. */
export type ParamValues = Map<string, { shape: number[]; values: Float32Array }>;

/** Layers for an image size: stride 2 until the map is at most 4x4; `width(i, side)` is layer i's channels at that map side. */
export function strideTwoSpec(size: number, channels: number, width: (i: number, side: number) => number): ConvLayer[] {
  const layers: ConvLayer[] = [];
  let side = size;
  let inChannels = channels;
  for (let i = 0; side > 4; i++) {
    side = Math.ceil(side / 2);
    const out = width(i, side);
    layers.push({ name: `c${i + 1}`, inChannels, outChannels: out });
    inChannels = out;
  }
  return layers;
}

/** He-normal conv weights and zero biases for every layer, from `rng`. */
export function heNormalConvs(spec: ConvLayer[], rng: Rng): ParamValues {
  const values: ParamValues = new Map();
  for (const l of spec) {
    const fanIn = 9 * l.inChannels;
    values.set(`${l.name}.w`, {
      shape: [3, 3, l.inChannels, l.outChannels],
      values: rng.fillNormal(new Float32Array(fanIn * l.outChannels), 0, Math.sqrt(2 / fanIn)),
    });
    values.set(`${l.name}.b`, { shape: [l.outChannels], values: new Float32Array(l.outChannels) });
  }
  return values;
}

/** Trainable variables of `values`, named under `scope` (tfjs variable names must be unique). */
export function toVariables(values: ParamValues, scope: string): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  for (const [name, v] of values)
    params.set(
      name,
      tf.tidy(() => tf.variable(tf.tensor(v.values, v.shape), true, `${scope}/${name}`)),
    );
  return params;
}

/** A conv stack's layers and variables, and its features: what both feature extractors share. */
export abstract class ConvStack {
  protected constructor(
    readonly spec: ConvLayer[],
    /** Trainable (the classifier and the contrastive space are trained, then frozen). */
    readonly params: Map<string, tf.Variable>,
  ) {}

  /** The last conv layer's spatial mean: images [B, S, S, C] in [-1, 1] -> [B, channels]. Call inside tf.tidy. */
  features(images: tf.Tensor4D): tf.Tensor2D {
    let x: tf.Tensor4D = images;
    for (const l of this.spec) {
      const w = this.params.get(`${l.name}.w`) as tf.Tensor4D;
      x = tf.relu(tf.add(tf.conv2d(x, w, 2, 'same'), this.params.get(`${l.name}.b`)!)) as tf.Tensor4D;
    }
    return tf.mean(x, [1, 2]) as tf.Tensor2D;
  }
}
