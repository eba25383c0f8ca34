/**
 * Self-supervised training of the feature net on the project's own images, once, before it is
 * frozen: the contrastive recipe of SimCLR (Chen et al., ICML 2020) at toy scale. Two random
 * views of each image (crop-and-resize, brightness/contrast, noise, for colour sets sometimes
 * grey) go through the net and a small projection head; the NT-Xent loss pulls the two views of
 * one image together and pushes the other 2B - 2 views away. No labels, nothing downloaded.
 * The head is thrown away; the net's per-layer means are the features (as for the random space).
 */
import { tf } from '../backend/tf';
import { trainingTick, type RunControl } from '../eval/progress';
import type { ImageSource } from '../eval/sources';
import { Rng } from '../util/rng';
import type { FeatureNet } from './feature-net';

export interface ContrastiveOptions {
  seed: number;
  /** Default 300. */
  steps?: number;
  /** Images per step (2x as many views). Default 64. */
  batchSize?: number;
  learningRate?: number;
  /** NT-Xent temperature (SimCLR's 0.5 for small batches). */
  temperature?: number;
}

const HEAD_HIDDEN = 128;
const HEAD_OUT = 64;

/** Crop boxes [B, 4] (y1, x1, y2, x2 in [0, 1]) covering 50-100% of the image's area, placed at random. */
function cropBoxes(rng: Rng, b: number): Float32Array {
  const boxes = new Float32Array(b * 4);
  for (let i = 0; i < b; i++) {
    const side = Math.sqrt(0.5 + 0.5 * rng.next());
    const y = rng.next() * (1 - side);
    const x = rng.next() * (1 - side);
    boxes.set([y, x, y + side, x + side], i * 4);
  }
  return boxes;
}

/** One random view of each image [B, S, S, C] in [-1, 1]. Call inside tf.tidy. */
function augment(images: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const [b, s, , c] = images.shape;
  const crops = tf.image.cropAndResize(images, tf.tensor2d(cropBoxes(rng, b), [b, 4]), tf.range(0, b, 1, 'int32') as tf.Tensor1D, [s, s]);
  const gain = tf.tensor4d(
    Float32Array.from({ length: b }, () => 0.7 + 0.6 * rng.next()),
    [b, 1, 1, 1],
  );
  const shift = tf.tensor4d(
    Float32Array.from({ length: b }, () => -0.2 + 0.4 * rng.next()),
    [b, 1, 1, 1],
  );
  let x = tf.add(tf.mul(crops, gain), shift) as tf.Tensor4D;
  if (c === 3) {
    // Sometimes grey, so colour alone cannot tell two images apart.
    const grey = tf.tile(tf.mean(x, 3, true), [1, 1, 1, 3]);
    const pick = tf.tensor4d(
      Float32Array.from({ length: b }, () => (rng.next() < 0.2 ? 1 : 0)),
      [b, 1, 1, 1],
    );
    x = tf.add(tf.mul(grey, pick), tf.mul(x, tf.sub(1, pick))) as tf.Tensor4D;
  }
  const noise = tf.tensor4d(rng.fillNormal(new Float32Array(b * s * s * c), 0, 0.05), [b, s, s, c]);
  return tf.clipByValue(tf.add(x, noise), -1, 1) as tf.Tensor4D;
}

/** NT-Xent over 2B unit rows: row i's positive is row i + B (and back). */
function ntXent(z: tf.Tensor2D, b: number, temperature: number): tf.Scalar {
  const unit = tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-8));
  const sim = tf.div(tf.matMul(unit, unit, false, true), temperature);
  const masked = tf.sub(sim, tf.mul(tf.eye(2 * b), 1e9)); // a view is not its own positive
  const targets = Int32Array.from({ length: 2 * b }, (_, i) => (i < b ? i + b : i - b));
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), 2 * b), masked) as tf.Scalar;
}

/**
 * Trains `net` in place on images drawn (seeded) from `source`, then marks it trained, which
 * changes its id: scores from before are not comparable with scores after.
 * @returns the loss of the first and last 10 steps (mean), to show it learned something.
 */
export async function trainContrastive(
  net: FeatureNet,
  source: ImageSource,
  options: ContrastiveOptions,
  control: RunControl = {},
): Promise<{ firstLoss: number; lastLoss: number }> {
  const steps = options.steps ?? 300;
  const b = Math.min(options.batchSize ?? 64, source.count);
  const temperature = options.temperature ?? 0.5;
  const rng = new Rng(options.seed);
  const { size, channels, dim } = net.info;
  const per = size * size * channels;
  // tidy: tf.variable copies its initial value, so the value itself must be freed.
  const init = (rows: number, cols: number) =>
    tf.tidy(() => tf.variable(tf.tensor2d(rng.fillNormal(new Float32Array(rows * cols), 0, Math.sqrt(2 / rows)), [rows, cols])));
  const head = [init(dim, HEAD_HIDDEN), init(HEAD_HIDDEN, HEAD_OUT)];
  const optimizer = tf.train.adam(options.learningRate ?? 1e-3);
  const vars = [...net.params.values(), ...head];
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const pixels = new Float32Array(b * per);
      for (let i = 0; i < b; i++) pixels.set(source.read(rng.int(source.count), 1), i * per);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(pixels, [b, size, size, channels]);
        const views = tf.concat([augment(x, rng), augment(x, rng)], 0) as tf.Tensor4D;
        return optimizer.minimize(
          () => {
            const h = tf.relu(tf.matMul(net.features(views), head[0]));
            return ntXent(tf.matMul(h, head[1]) as tf.Tensor2D, b, temperature);
          },
          true,
          vars,
        )!;
      });
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      await trainingTick(step, steps, 'Training the feature space on your images (self-supervised)', control);
    }
  } finally {
    optimizer.dispose();
    for (const v of head) v.dispose();
  }
  net.markTrained({ method: 'contrastive', steps, batchSize: b, images: source.count });
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  return { firstLoss: mean(losses.slice(0, 10)), lastLoss: mean(losses.slice(-10)) };
}
