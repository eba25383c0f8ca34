/**
 * The fixed feature space of the label-free score: a small convnet that needs no download and no
 * labels. Made two ways, both stored so every checkpoint of a project is scored in one space:
 *  - 'ganvas-random-cnn-v1': seeded random weights, never trained (only the seed is stored; the
 *    weights' fingerprint guards against a changed generator of random numbers);
 *  - 'ganvas-contrastive-cnn-v1': the same net trained once, self-supervised, on the project's
 *    own images (ssl.ts), then frozen (its weights are stored).
 * Random convnets are a known proxy for a learned embedding: their features respond to local
 * statistics (strokes, edges, colour, texture) and to where things are, not to what they mean
 * (Naeem et al. 2020, Sec. 5, random embeddings for non-ImageNet data). See docs/run-health.md.
 *
 * Architecture: 3x3 stride-2 'same' convs with bias and ReLU, widths 32, 64, 128, 128, ... until
 * the map is at most 4x4 (28: 14-7-4; 64: 32-16-8-4); the features are the last layer's spatial
 * mean, 128 numbers. Measured on three MNIST runs (docs/run-health.md): the last layer ranked
 * checkpoints at least as well as the first, the middle or all layers together, in the random and
 * the contrastive space alike, and 128 dimensions keep a Fréchet distance cheap.
 */
import type { FeatureSpaceInfo } from '../../shared/types/health';
import { tf } from '../backend/tf';
import { decodeTensor, encodeTensor, type StoredTensor } from '../eval/fd-classifier-file';
import { ConvStack, heNormalConvs, strideTwoSpec, toVariables, type ConvLayer, type ParamValues } from '../eval/conv-stack';
import type { RunControl } from '../eval/progress';
import { mapFeatures, type ImageSource } from '../eval/sources';
import { Rng } from '../util/rng';

export const RANDOM_SPACE = 'ganvas-random-cnn-v1';
export const CONTRASTIVE_SPACE = 'ganvas-contrastive-cnn-v1';
const STORE_FORMAT = 'ganvas-feature-space';
const STORE_VERSION = 1;

export type { ConvLayer };

/** Layers for an image size: stride 2 until the map is at most 4x4; widths 32, 64, 128, 128... */
export const featureNetSpec = (size: number, channels: number): ConvLayer[] =>
  strideTwoSpec(size, channels, (i) => 32 * 2 ** Math.min(i, 2));

export const featureDim = (size: number, channels: number) => featureNetSpec(size, channels).at(-1)!.outChannels;

/** A feature space as stored in a project: the facts, and the weights when they were trained. */
export interface StoredFeatureSpace {
  format: typeof STORE_FORMAT;
  version: number;
  info: FeatureSpaceInfo;
  /** Absent for random spaces: the seed regenerates them. */
  tensors?: StoredTensor[];
}

let instanceCount = 0;

/** Its features (ConvStack.features) are the last layer's spatial mean: [B, dim] of images [B, S, S, C] in [-1, 1]. */
export class FeatureNet extends ConvStack {
  private constructor(
    readonly info: FeatureSpaceInfo,
    spec: ConvLayer[],
    params: Map<string, tf.Variable>,
  ) {
    super(spec, params);
  }

  /** Seeded He-normal weights, zero biases: the random space for images of `size` x `size` x `channels`. */
  static random(size: number, channels: 1 | 3, seed: number): FeatureNet {
    const spec = featureNetSpec(size, channels);
    const values = heNormalConvs(spec, new Rng(seed));
    const info: FeatureSpaceInfo = {
      name: RANDOM_SPACE,
      id: '',
      seed,
      size,
      channels,
      dim: featureDim(size, channels),
      training: { method: 'random' },
    };
    const net = FeatureNet.fromValues(info, spec, values);
    net.info.id = net.fingerprint();
    return net;
  }

  private static fromValues(info: FeatureSpaceInfo, spec: ConvLayer[], values: ParamValues): FeatureNet {
    return new FeatureNet({ ...info }, spec, toVariables(values, `health-cnn#${++instanceCount}`));
  }

  /** Features of every image of a source: [count, dim]. */
  extract(source: ImageSource, control: RunControl & { phase?: string; chunk?: number } = {}): Promise<Float32Array> {
    return mapFeatures(source, this.info, this.info.dim, (x) => this.features(x), { chunk: 256, ...control });
  }

  /** Marks the weights as trained (ssl.ts) and refreshes the id. */
  markTrained(training: FeatureSpaceInfo['training']): void {
    this.info.name = training.method === 'random' ? RANDOM_SPACE : CONTRASTIVE_SPACE;
    this.info.training = training;
    this.info.id = this.fingerprint();
  }

  /** What a project stores to score every later checkpoint in this same space (JSON-able). */
  toStored(): StoredFeatureSpace {
    const stored: StoredFeatureSpace = { format: STORE_FORMAT, version: STORE_VERSION, info: { ...this.info } };
    if (this.info.training.method !== 'random') {
      stored.tensors = [...this.params].map(([name, v]) => encodeTensor(name, v.shape, v.dataSync() as Float32Array));
    }
    return stored;
  }

  /**
   * The space a project stored. A random space is regenerated from its seed and must come out
   * with the same fingerprint: otherwise its scores would silently stop being comparable.
   * @throws Error on a file of another kind, a newer version, or a fingerprint mismatch.
   */
  static fromStored(stored: StoredFeatureSpace): FeatureNet {
    if (stored?.format !== STORE_FORMAT) throw new Error('Not a Ganvas feature space (health score)');
    if (stored.version > STORE_VERSION) throw new Error(`This feature space was written by a newer Ganvas (v${stored.version})`);
    const { info } = stored;
    let net: FeatureNet;
    if (info.training.method === 'random') {
      net = FeatureNet.random(info.size, info.channels, info.seed);
    } else {
      const spec = featureNetSpec(info.size, info.channels);
      const values = new Map((stored.tensors ?? []).map((t) => [t.name, { shape: t.shape, values: decodeTensor(t) }]));
      for (const l of spec) {
        if (!values.has(`${l.name}.w`) || !values.has(`${l.name}.b`)) throw new Error(`The stored feature space lacks layer ${l.name}`);
      }
      net = FeatureNet.fromValues(info, spec, values);
      net.info.id = net.fingerprint();
    }
    if (net.info.id !== info.id) {
      net.dispose();
      throw new Error(
        `The stored feature space ${info.id} could not be rebuilt exactly (got ${net.info.id}); its scores are not comparable`,
      );
    }
    return net;
  }

  /** FNV-1a over the weights' bytes, hex. */
  private fingerprint(): string {
    let h = 0x811c9dc5;
    for (const v of this.params.values()) {
      const a = v.dataSync() as Float32Array;
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    }
    return `${this.info.name}-${(h >>> 0).toString(16).padStart(8, '0')}`;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}
