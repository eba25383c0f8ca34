/**
 * Feature visualisation by optimisation (Erhan et al. 2009; Mordvintsev et al. 2015, "Inceptionism";
 * Olah et al. 2017): the input that most excites one feature map, beside the dataset samples that
 * excite it most (features.ts).
 *
 * - G's maps (g0..gN): optimise z, so the answer is an image G can draw — the generator's own
 *   prior is the regulariser, plus the same shell penalty as projection (invert/loss.ts).
 * - D's maps (d1..dN): optimise the image itself, with a mild image prior so the answer is not
 *   high-frequency noise (Olah et al. 2017, "Feature Visualization", transformation robustness):
 *   random jitter of up to `jitter` pixels every step, a 3x3 Gaussian blur every `blurEvery`
 *   steps, an L2 penalty on pixels, and pixels clipped to [-1, 1].
 * Objective: the channel's mean activation over its map (post-activation, inference mode).
 * Same optimiser as projection (Adam, train/adam.ts), restarts as batch rows, seeded.
 */
import type { ExciteView, InspectNet } from '../../shared/types';
import { invalid } from '../../shared/errors';
import type { ModelConfig } from '../../shared/types';
import { tf } from '../backend/tf';
import { discriminate, generate, type ForwardOptions, type Network } from '../models/network';
import { Adam } from '../train/adam';
import { deriveSeed, Rng } from '../util/rng';
import { findLayer } from './filters';
import { netOfLayer } from './layers';

const EXCITE_STREAM = 0xe1c7;

export interface ExciteOptions {
  /** g0..gN or d1..dN. */
  layer: string;
  channel: number;
  steps?: number;
  restarts?: number;
  seed?: number;
  learningRate?: number;
  /** Conditional G: the class drawn (default: restarts go through the classes in turn). */
  classIndex?: number;
  /** G: weight of the shell penalty on z (default 0.05). */
  prior?: number;
  /** D: the image prior (defaults: 2 px jitter, blur every 4 steps, L2 0.05; activations count in baseline standard deviations). */
  jitter?: number;
  blurEvery?: number;
  l2?: number;
  /** Random inputs the result is compared with (default 64). */
  baseline?: number;
}

/** As the contract's ExciteView (label, activation, baseline over random inputs, history), with the input as floats. */
export interface ExciteResult extends Pick<ExciteView, 'label' | 'activation' | 'baseline' | 'history' | 'steps'> {
  net: InspectNet;
  layer: string;
  channel: number;
  /** The most exciting input found: [S*S*C] floats in [-1, 1] (for G, G(z)). */
  image: Float32Array;
  /** G only: the z (and class) that draws it. */
  z: Float32Array | null;
}

export interface Nets {
  G: Network;
  D: Network;
  model: ModelConfig;
}

/** [B] mean activation of `channel` of `layer`, for z rows (G) or images (D). Call inside tf.tidy. */
function channelMean(
  nets: Nets,
  net: InspectNet,
  layer: string,
  channel: number,
  input: tf.Tensor,
  labels: tf.Tensor2D | null,
): tf.Tensor1D {
  let act: tf.Tensor4D | null = null;
  const opts: ForwardOptions = {
    training: false,
    tap: (name, a) => {
      if (name === layer) act = a;
    },
  };
  if (net === 'G') generate(nets.G, input as tf.Tensor2D, labels, opts);
  else discriminate(nets.D, input as tf.Tensor4D, labels, opts);
  const a = act as unknown as tf.Tensor4D;
  const [b, h, w] = a.shape;
  return tf.mean(tf.slice(a, [0, 0, 0, channel], [b, h, w, 1]), [1, 2, 3]) as tf.Tensor1D;
}

/** Shifts images [B, H, W, C] by (dx, dy) pixels, wrapping around (a roll). */
function roll(x: tf.Tensor4D, dx: number, dy: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  const sy = ((dy % h) + h) % h;
  const sx = ((dx % w) + w) % w;
  let y = x;
  if (sy) y = tf.concat([tf.slice(y, [0, h - sy, 0, 0], [-1, sy, -1, -1]), tf.slice(y, [0, 0, 0, 0], [-1, h - sy, -1, -1])], 1);
  if (sx) y = tf.concat([tf.slice(y, [0, 0, w - sx, 0], [-1, -1, sx, -1]), tf.slice(y, [0, 0, 0, 0], [-1, -1, w - sx, -1])], 2);
  return y;
}

/** 3x3 Gaussian blur (binomial 1-2-1), per channel. */
function blur(x: tf.Tensor4D): tf.Tensor4D {
  const c = x.shape[3];
  const k = [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16);
  const kernel = tf.tile(tf.reshape(tf.tensor1d(k), [3, 3, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
  return tf.depthwiseConv2d(x, kernel, 1, 'same');
}

function validate(nets: Nets, o: ExciteOptions): { net: InspectNet; steps: number; restarts: number } {
  const net = netOfLayer(o.layer);
  const layer = findLayer(net === 'G' ? nets.G : nets.D, o.layer, net);
  if (!Number.isInteger(o.channel) || o.channel < 0 || o.channel >= layer.outChannels)
    throw invalid(`${o.layer} has channels 0..${layer.outChannels - 1}, not ${o.channel}`);
  const steps = o.steps ?? 200;
  const restarts = o.restarts ?? 4;
  if (!Number.isInteger(steps) || steps < 1 || steps > 10_000) throw invalid(`--steps must be an integer in 1..10000, got ${steps}`);
  if (!Number.isInteger(restarts) || restarts < 1 || restarts > 64)
    throw invalid(`--restarts must be an integer in 1..64, got ${restarts}`);
  const { numClasses } = nets.model;
  if (o.classIndex !== undefined && (!Number.isInteger(o.classIndex) || o.classIndex < 0 || o.classIndex >= numClasses))
    throw invalid(
      numClasses === 0 ? 'This model has no classes' : `Class ${o.classIndex} does not exist: this model has classes 0..${numClasses - 1}`,
    );
  return { net, steps, restarts };
}

/** Random inputs: z from the prior (G), or noise images (D) drawn like the optimisation's starts. */
function randomInputs(model: ModelConfig, net: InspectNet, n: number, rng: Rng): Float32Array {
  if (net === 'G') {
    const z = new Float32Array(n * model.zDim);
    return model.latent === 'uniform' ? rng.fillUniform(z, -1, 1) : rng.fillNormal(z);
  }
  return rng.fillUniform(new Float32Array(n * model.size * model.size * model.channels), -1, 1);
}

/**
 * One feature optimisation in small steps, so a task can report progress and honour a cancel
 * between them; `exciteChannel` runs one to the end.
 */
export class Excitation {
  private readonly x: tf.Variable;
  private readonly adam: Adam;
  private readonly rng: Rng;
  private readonly classes: number[] | null;
  private readonly unit: number;
  private readonly bestValue: Float64Array;
  private readonly bestInput: Float32Array[];
  private readonly history: number[] = [];
  private readonly shape: number[];
  private t = 0;
  private disposed = false;

  private constructor(
    private readonly nets: Nets,
    private readonly net: InspectNet,
    readonly steps: number,
    private readonly restarts: number,
    private readonly options: ExciteOptions,
    readonly baseline: ExciteResult['baseline'],
  ) {
    const { model } = nets;
    const seed = options.seed ?? 0;
    this.rng = new Rng(deriveSeed(seed, EXCITE_STREAM));
    this.shape = net === 'G' ? [restarts, model.zDim] : [restarts, model.size, model.size, model.channels];
    this.classes =
      model.numClasses > 0 && net === 'G' ? Array.from({ length: restarts }, (_, r) => options.classIndex ?? r % model.numClasses) : null;
    const start = randomInputs(model, net, restarts, this.rng);
    this.x = tf.tidy(() => tf.variable(tf.tensor(start, this.shape), true));
    if (net === 'D') tf.tidy(() => this.x.assign(tf.mul(this.x, 0.25))); // start from faint noise
    // The activation term is measured in standard deviations of the channel over random inputs,
    // so the priors' weights mean the same for every layer, trained or not.
    this.unit = 1 / Math.max(baseline.std, 1e-6);
    this.adam = new Adam({ learningRate: options.learningRate ?? 0.05, beta1: 0.9, beta2: 0.999 }, new Map([['x', this.x]]));
    this.bestValue = new Float64Array(restarts).fill(-Infinity);
    this.bestInput = new Array(restarts);
  }

  static begin(nets: Nets, options: ExciteOptions): Excitation {
    const { net, steps, restarts } = validate(nets, options);
    const seed = options.seed ?? 0;
    const { model } = nets;
    const firstClass = model.numClasses > 0 && net === 'G' ? (options.classIndex ?? 0) : null;
    const baseline = measureBaseline(
      nets,
      net,
      options.layer,
      options.channel,
      options.baseline ?? 64,
      new Rng(deriveSeed(seed, EXCITE_STREAM, 1)),
      firstClass,
    );
    return new Excitation(nets, net, steps, restarts, options, baseline);
  }

  get done(): boolean {
    return this.t >= this.steps;
  }

  /** Steps run so far and the best activation. */
  progress(): { step: number; best: number } {
    return { step: this.t, best: this.history.at(-1) ?? Number.NaN };
  }

  private labels(rows: number): tf.Tensor2D | null {
    const { model } = this.nets;
    if (model.numClasses === 0) return null;
    if (this.net === 'G') return tf.oneHot(tf.tensor1d(this.classes!.slice(0, rows), 'int32'), model.numClasses).toFloat() as tf.Tensor2D;
    return tf.zeros([rows, model.numClasses]) as tf.Tensor2D; // D sees the image alone (no class maps)
  }

  /** Runs up to `n` more steps. */
  step(n: number): { step: number; best: number } {
    for (let i = 0; i < n && !this.done; i++) this.stepOnce();
    return this.progress();
  }

  private stepOnce(): void {
    const { nets, net, x, restarts } = this;
    const { model } = nets;
    const { layer, channel } = this.options;
    const jitter = this.options.jitter ?? 2;
    const blurEvery = this.options.blurEvery ?? 4;
    const l2 = this.options.l2 ?? 0.05;
    const prior = this.options.prior ?? 0.05;
    const before = Float32Array.from(x.dataSync() as Float32Array);
    const dx = net === 'D' ? this.rng.int(2 * jitter + 1) - jitter : 0;
    const dy = net === 'D' ? this.rng.int(2 * jitter + 1) - jitter : 0;
    let values: tf.Tensor1D | null = null;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const input = net === 'D' ? roll(x as tf.Tensor4D, dx, dy) : x;
        const act = channelMean(nets, net, layer, channel, input, this.labels(restarts));
        values = tf.keep(act);
        let loss: tf.Tensor = tf.mul(tf.sum(act), -this.unit);
        if (net === 'G' && model.latent === 'normal' && prior > 0) {
          const radius = tf.div(tf.norm(x, 'euclidean', 1), Math.sqrt(model.zDim));
          loss = tf.add(loss, tf.mul(tf.sum(tf.square(tf.sub(radius, 1))), prior));
        }
        if (net === 'D' && l2 > 0) loss = tf.add(loss, tf.mul(tf.sum(tf.mean(tf.square(x), [1, 2, 3])), l2));
        return loss as tf.Scalar;
      }, [x]);
      this.adam.apply(new Map([['x', x]]), { x: grads[x.name] });
      if (net === 'D') {
        if (blurEvery > 0 && (this.t + 1) % blurEvery === 0) x.assign(blur(x as tf.Tensor4D));
        x.assign(tf.clipByValue(x, -1, 1));
      } else if (model.latent === 'uniform') x.assign(tf.clipByValue(x, -1, 1));
    });
    // The jittered value is a noisy estimate; the recorded best is re-measured unjittered in result().
    const v = (values as unknown as tf.Tensor1D).dataSync();
    (values as unknown as tf.Tensor1D).dispose();
    const per = before.length / restarts;
    for (let r = 0; r < restarts; r++)
      if (v[r] > this.bestValue[r]) {
        this.bestValue[r] = v[r];
        this.bestInput[r] = before.slice(r * per, (r + 1) * per);
      }
    this.history.push(Math.max(...this.bestValue));
    this.t++;
  }

  /** Every restart's best input re-measured without jitter; the strongest wins. */
  result(): ExciteResult {
    if (this.t === 0) throw new Error('The optimisation has not run a step yet');
    const { nets, net, restarts, classes } = this;
    const { layer, channel } = this.options;
    const finals = tf.tidy(() => {
      const input = tf.tensor(concat(this.bestInput), this.shape);
      return channelMean(nets, net, layer, channel, input, this.labels(restarts));
    });
    const f = finals.dataSync();
    finals.dispose();
    let best = 0;
    for (let r = 1; r < restarts; r++) if (f[r] > f[best]) best = r;
    return {
      net,
      layer,
      channel,
      image: net === 'G' ? render(nets, this.bestInput[best], classes?.[best] ?? null) : this.bestInput[best],
      z: net === 'G' ? this.bestInput[best] : null,
      label: classes?.[best] ?? null,
      activation: f[best],
      baseline: this.baseline,
      history: this.history.slice(),
      steps: this.t,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.x.dispose();
    this.adam.dispose();
  }
}

/** Runs the optimisation to the end (a few seconds for MNIST-sized nets). */
export function exciteChannel(nets: Nets, options: ExciteOptions): ExciteResult {
  const job = Excitation.begin(nets, options);
  try {
    job.step(job.steps);
    return job.result();
  } finally {
    job.dispose();
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function render(nets: Nets, z: Float32Array, label: number | null): Float32Array {
  const { model } = nets;
  const out = tf.tidy(() => {
    const onehot = label !== null ? (tf.oneHot(tf.tensor1d([label], 'int32'), model.numClasses).toFloat() as tf.Tensor2D) : null;
    return generate(nets.G, tf.tensor2d(z, [1, model.zDim]), onehot, { training: false });
  });
  const data = Float32Array.from(out.dataSync() as Float32Array);
  out.dispose();
  return data;
}

function measureBaseline(nets: Nets, net: InspectNet, layer: string, channel: number, n: number, rng: Rng, label: number | null) {
  const { model } = nets;
  const data = randomInputs(model, net, n, rng);
  const shape = net === 'G' ? [n, model.zDim] : [n, model.size, model.size, model.channels];
  const values = tf.tidy(() => {
    const labels =
      model.numClasses === 0
        ? null
        : net === 'G'
          ? (tf.oneHot(tf.fill([n], label ?? 0, 'int32') as tf.Tensor1D, model.numClasses).toFloat() as tf.Tensor2D)
          : (tf.zeros([n, model.numClasses]) as tf.Tensor2D);
    return channelMean(nets, net, layer, channel, tf.tensor(data, shape), labels);
  });
  const v = values.dataSync();
  values.dispose();
  let sum = 0;
  let sq = 0;
  let max = -Infinity;
  for (const a of v) {
    sum += a;
    sq += a * a;
    max = Math.max(max, a);
  }
  const mean = sum / n;
  return { mean, max, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), count: n };
}
