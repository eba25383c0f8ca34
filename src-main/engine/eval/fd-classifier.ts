/**
 * The quality score's own feature extractor, "ganvas-cnn-v1": a small convnet trained by the app
 * on the project's labelled pool images. FID (Heusel et al. 2017) uses an ImageNet Inception
 * net, which needs a download and knows nothing of 28x28 digits; a classifier trained on the
 * project's own classes is the offline stand-in (as in the "FID on MNIST with a LeNet" practice).
 * Its scores are therefore comparable only within one project and one classifier (its `id`),
 * never with published FIDs. It is trained once and cached in eval/fd-classifier.json, so every
 * checkpoint is scored with the same features.
 *
 * Architecture: 3x3 stride-2 conv + bias + ReLU layers (16, 32, 64, 64... channels) until the map
 * is 4x4 or smaller, global average pooling to 64 features, then a linear layer to the classes.
 * The 64 pooled features (the penultimate layer, as Inception's pool3) are what FD compares.
 */
import type { FdClassifierInfo } from '../../shared/types/eval';
import { tf } from '../backend/tf';
import type { DatasetCache } from '../data/cache';
import type { Project } from '../project/project';
import { Rng } from '../util/rng';
import { decodeTensor, encodeTensor, FD_CLASSIFIER_NAME, readClassifierFile, writeClassifierFile } from './fd-classifier-file';
import { ConvStack, heNormalConvs, strideTwoSpec, toVariables, type ConvLayer, type ParamValues } from './conv-stack';
import { trainingTick, type RunControl } from './progress';
import { mapFeatures, type ImageSource } from './sources';

export { FD_CLASSIFIER_NAME };
export const FD_FEATURE_DIM = 64;

export interface FdTrainOptions {
  seed: number;
  steps?: number;
  batchSize?: number;
  learningRate?: number;
}

/** Conv layers for an image size: stride 2 until the map is at most 4x4; the last has 64 channels. */
export const cnnSpec = (size: number, channels: number): ConvLayer[] =>
  strideTwoSpec(size, channels, (i, side) => (side > 4 ? Math.min(FD_FEATURE_DIM, 16 * 2 ** i) : FD_FEATURE_DIM));

let instanceCount = 0;

export class FdClassifier extends ConvStack {
  private constructor(
    readonly info: FdClassifierInfo,
    spec: ConvLayer[],
    params: Map<string, tf.Variable>,
  ) {
    super(spec, params);
  }

  /** Fresh weights: He-normal convs and a zero-mean linear head, from `seed`. */
  static create(info: Omit<FdClassifierInfo, 'id'>, seed: number): FdClassifier {
    const spec = cnnSpec(info.size, info.channels);
    const rng = new Rng(seed);
    const values = heNormalConvs(spec, rng);
    const k = info.numClasses;
    values.set('fc.w', {
      shape: [FD_FEATURE_DIM, k],
      values: rng.fillNormal(new Float32Array(FD_FEATURE_DIM * k), 0, Math.sqrt(1 / FD_FEATURE_DIM)),
    });
    values.set('fc.b', { shape: [k], values: new Float32Array(k) });
    return FdClassifier.fromValues({ ...info, id: '' }, spec, values);
  }

  private static fromValues(info: FdClassifierInfo, spec: ConvLayer[], values: ParamValues): FdClassifier {
    return new FdClassifier(info, spec, toVariables(values, `fd-cnn#${++instanceCount}`));
  }

  /** Class scores [B, K]. Call inside tf.tidy. */
  logits(images: tf.Tensor4D): tf.Tensor2D {
    return tf.add(tf.matMul(this.features(images), this.params.get('fc.w') as tf.Tensor2D), this.params.get('fc.b')!) as tf.Tensor2D;
  }

  /** Features of every image of a source: [count, 64]. */
  extract(source: ImageSource, control: RunControl & { phase?: string } = {}): Promise<Float32Array> {
    return mapFeatures(source, this.info, FD_FEATURE_DIM, (x) => this.features(x), { ...control, chunk: 256 });
  }

  /** Fraction of a source's images whose predicted class is the label. */
  async accuracy(source: ImageSource, labels: ArrayLike<number>, control: RunControl = {}): Promise<number> {
    const k = this.info.numClasses;
    const scores = await mapFeatures(source, this.info, k, (x) => this.logits(x), {
      ...control,
      phase: 'Checking the classifier on the test images',
      chunk: 256,
    });
    let right = 0;
    for (let i = 0; i < source.count; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (scores[i * k + c] > scores[i * k + best]) best = c;
      if (best === labels[i]) right++;
    }
    return right / source.count;
  }

  /**
   * Trains on images sampled (seeded, without replacement per epoch) from `pool` with Adam on
   * softmax cross-entropy. Yields to the event loop every few steps for progress and cancels.
   */
  async train(
    cache: DatasetCache,
    pool: ArrayLike<number>,
    labels: ArrayLike<number>,
    options: FdTrainOptions,
    control: RunControl = {},
  ): Promise<void> {
    const steps = options.steps ?? this.info.trainSteps;
    const batch = options.batchSize ?? this.info.batchSize;
    const optimizer = tf.train.adam(options.learningRate ?? 2e-3);
    const rng = new Rng(options.seed);
    const order = Array.from(pool);
    let cursor = order.length;
    const vars = [...this.params.values()];
    const { size, channels, numClasses } = this.info;
    try {
      for (let step = 0; step < steps; step++) {
        const picked: number[] = [];
        while (picked.length < batch) {
          if (cursor >= order.length) {
            for (let i = order.length - 1; i > 0; i--) {
              const j = rng.int(i + 1);
              [order[i], order[j]] = [order[j], order[i]];
            }
            cursor = 0;
          }
          picked.push(order[cursor++]);
        }
        const data = cache.readBatch(picked);
        tf.tidy(() => {
          const x = tf.tensor4d(data.images, [batch, size, size, channels]);
          const y = tf.oneHot(
            tf.tensor1d(
              Array.from(picked, (i) => labels[i]),
              'int32',
            ),
            numClasses,
          );
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, this.logits(x)) as tf.Scalar, false, vars);
        });
        await trainingTick(step, steps, `Training the quality classifier (${FD_CLASSIFIER_NAME})`, control);
      }
    } finally {
      optimizer.dispose();
    }
  }

  /** Sets the final facts (accuracy, sizes) and the weights' fingerprint. */
  finish(facts: Pick<FdClassifierInfo, 'testAccuracy' | 'testImages' | 'trainImages'>): void {
    Object.assign(this.info, facts);
    this.info.id = fingerprint([...this.params.values()].map((v) => v.dataSync() as Float32Array));
  }

  save(project: Project): void {
    writeClassifierFile(
      project,
      this.info,
      [...this.params].map(([name, v]) => encodeTensor(name, v.shape, v.dataSync() as Float32Array)),
    );
  }

  /** The project's saved classifier, or null when there is none or it was made for other images (size, channels, classes). */
  static load(project: Project, expect: { size: number; channels: number; numClasses: number }): FdClassifier | null {
    const file = readClassifierFile(project);
    if (!file) return null;
    const { info } = file;
    if (info.size !== expect.size || info.channels !== expect.channels || info.numClasses !== expect.numClasses) return null;
    const values = new Map(file.tensors.map((t) => [t.name, { shape: t.shape, values: decodeTensor(t) }]));
    return FdClassifier.fromValues(info, cnnSpec(info.size, info.channels), values);
  }

  /** The facts without the weights (for the API). */
  get summary(): FdClassifierInfo {
    return { ...this.info };
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
  }
}

/** FNV-1a over the weights' bytes, hex: a short id that changes whenever any weight does. */
function fingerprint(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return `${FD_CLASSIFIER_NAME}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}
