/**
 * Forward passes that keep layer activations (through the networks' `tap`), always in inference
 * mode so a sample's activations depend only on the sample, never on the rest of its batch.
 */
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { discriminate, generate, type Network } from '../models/network';
import { oneHot } from '../sampling/noise';

export interface Activation {
  /** [n, h, w, c] */
  shape: [number, number, number, number];
  data: Float32Array;
}

export type Capture = (layer: string) => boolean;
/** May replace a layer's activation (e.g. zero some of G's maps); return undefined to keep it. */
export type Edit = (layer: string, activation: tf.Tensor4D) => tf.Tensor4D | void;

const labelsTensor = (model: ModelConfig, labels: number[] | null) =>
  model.numClasses > 0 && labels ? oneHot(labels, model.numClasses) : null;

/** Copies tensors out (the same tensor may sit under two names, e.g. G's last layer and its output) and frees them. */
function download(tensors: Record<string, tf.Tensor>): Map<string, Activation> {
  const out = new Map<string, Activation>();
  for (const [name, t] of Object.entries(tensors))
    out.set(name, { shape: t.shape as Activation['shape'], data: t.dataSync() as Float32Array });
  for (const t of new Set(Object.values(tensors))) t.dispose();
  return out;
}

/** download() without blocking: WebGPU reads a GPU buffer back only asynchronously. */
async function downloadAsync(tensors: Record<string, tf.Tensor>): Promise<Map<string, Activation>> {
  const entries = Object.entries(tensors);
  const values = await Promise.all(entries.map(([, t]) => t.data() as Promise<Float32Array>));
  for (const t of new Set(Object.values(tensors))) t.dispose();
  return new Map(entries.map(([name, t], i) => [name, { shape: t.shape as Activation['shape'], data: values[i] }]));
}

/** Splits the network's output (under '#out') from the captured layers. */
function withOutput(acts: Map<string, Activation>): { out: Float32Array; acts: Map<string, Activation> } {
  const out = acts.get('#out')!.data;
  acts.delete('#out');
  return { out, acts };
}

/** G's output under '#out' and the captured layers' tensors (the caller downloads them). */
function generatorTensors(G: Network, model: ModelConfig, z: Float32Array, labels: number[] | null, capture: Capture, edit?: Edit) {
  const n = z.length / model.zDim;
  return tf.tidy(() => {
    const kept: Record<string, tf.Tensor> = {};
    const tap = (layer: string, a: tf.Tensor4D) => {
      const replaced = edit?.(layer, a) ?? a;
      if (capture(layer)) kept[layer] = replaced;
      return replaced;
    };
    kept['#out'] = generate(G, tf.tensor2d(z, [n, model.zDim]), labelsTensor(model, labels), { training: false, tap });
    return kept;
  });
}

/** D's logits under '#out' and the captured layers' tensors. */
function discriminatorTensors(D: Network, model: ModelConfig, images: Float32Array, labels: number[] | null, capture: Capture) {
  const n = images.length / (model.size * model.size * model.channels);
  return tf.tidy(() => {
    const kept: Record<string, tf.Tensor> = {};
    const tap = (layer: string, a: tf.Tensor4D) => {
      if (capture(layer)) kept[layer] = a;
    };
    const x = tf.tensor4d(images, [n, model.size, model.size, model.channels]);
    kept['#out'] = discriminate(D, x, labelsTensor(model, labels), { training: false, tap });
    return kept;
  });
}

/**
 * G on z rows: the images (NHWC floats in [-1, 1]) and the activations of the captured layers.
 * @param z n x zDim, flat.
 */
export function runGenerator(G: Network, model: ModelConfig, z: Float32Array, labels: number[] | null, capture: Capture, edit?: Edit) {
  const { out, acts } = withOutput(download(generatorTensors(G, model, z, labels, capture, edit)));
  return { images: out, acts };
}

/** runGenerator for backends that read back only asynchronously (the compute window's WebGPU). */
export async function runGeneratorAsync(G: Network, model: ModelConfig, z: Float32Array, labels: number[] | null, capture: Capture) {
  const { out, acts } = withOutput(await downloadAsync(generatorTensors(G, model, z, labels, capture)));
  return { images: out, acts };
}

/**
 * D on images: its logits and the activations of the captured layers.
 * @param images n x S x S x C floats in [-1, 1], NHWC.
 */
export function runDiscriminator(D: Network, model: ModelConfig, images: Float32Array, labels: number[] | null, capture: Capture) {
  const { out, acts } = withOutput(download(discriminatorTensors(D, model, images, labels, capture)));
  return { logits: out, acts };
}

/** runDiscriminator for backends that read back only asynchronously. */
export async function runDiscriminatorAsync(
  D: Network,
  model: ModelConfig,
  images: Float32Array,
  labels: number[] | null,
  capture: Capture,
) {
  const { out, acts } = withOutput(await downloadAsync(discriminatorTensors(D, model, images, labels, capture)));
  return { logits: out, acts };
}

/**
 * One channel's mean and max over space, per sample: the ranking statistics of "top-activating".
 * @returns for sample j: means[j], maxes[j].
 */
export function channelStats(a: Activation, channel: number): { means: Float64Array; maxes: Float64Array } {
  const [n, h, w, c] = a.shape;
  const means = new Float64Array(n);
  const maxes = new Float64Array(n).fill(-Infinity);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let p = 0; p < h * w; p++) {
      const v = a.data[(j * h * w + p) * c + channel];
      sum += v;
      if (v > maxes[j]) maxes[j] = v;
    }
    means[j] = sum / (h * w);
  }
  return { means, maxes };
}

/** One channel's h x w map of sample j. */
export function channelMap(a: Activation, sample: number, channel: number): Float32Array {
  const [, h, w, c] = a.shape;
  const out = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) out[p] = a.data[(sample * h * w + p) * c + channel];
  return out;
}
