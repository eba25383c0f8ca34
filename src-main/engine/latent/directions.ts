/**
 * Discovered directions (GANSpace, Härkönen et al. 2020, Sec. 2): principal components of G's
 * first-layer activations over many sampled z, carried back into z space.
 *
 * 1. Sample N z from the prior and record y = g0(z), the "project and reshape" layer's output
 *    after BatchNorm (inference statistics) and ReLU, flattened: [N, D] with D = base^2 * channels.
 * 2. PCA of y: the top-k eigenvectors V of y's covariance, by block power (subspace) iteration
 *    with a Rayleigh-Ritz step (Halko et al. 2011, Alg. 4.4 / 5.3) — D is thousands, so the
 *    D x D covariance is never formed, only [N, D] x [D, m] products.
 * 3. Back to z by least squares, as the paper does for BigGAN: x = V^T (y - mu) are the PC
 *    scores; the z direction of component i is u_i = argmin_u sum_j |x_ji u - z_j|^2
 *    = sum_j x_ji z_j / sum_j x_ji^2 (the scores are uncorrelated, so each regresses alone).
 * 4. The u_i are unit-normalised and made orthonormal by Gram-Schmidt in rank order, so a
 *    slider never moves along another's direction; the first keeps its exact regression
 *    direction. Signs: each direction's largest entry is positive (PCA signs are arbitrary).
 *
 * Ranked by explained variance: the fraction of the layer's total activation variance (the
 * trace of its covariance) along each principal component.
 */
import type { ModelConfig } from '../../shared/types';
import { invalid } from '../../shared/errors';
import { tf } from '../backend/tf';
import { symmetricEigen } from '../eval/linalg';
import { generate, type Network } from '../models/network';
import { latentVectors, oneHot } from '../sampling/noise';
import { deriveSeed } from '../util/rng';

const DIRECTIONS_STREAM = 0xd15c;
const CHUNK = 256;
/** Extra vectors in the power iteration beyond the k wanted: makes the top k converge fast. */
const OVERSAMPLE = 8;

export interface DirectionOptions {
  /** Directions wanted (default 10, at most zDim). */
  count?: number;
  /** Sampled z (default 2000). */
  samples?: number;
  seed?: number;
  /** Power iterations (default 12). */
  iterations?: number;
}

export interface Directions {
  /** The layer whose activations were analysed. */
  layer: string;
  samples: number;
  seed: number;
  /** Unit vectors [zDim], orthonormal, by decreasing explained variance. */
  directions: Float32Array[];
  /** Activation variance along each principal component. */
  variance: number[];
  /** variance / totalVariance. */
  explainedVariance: number[];
  /** Trace of the activations' covariance. */
  totalVariance: number;
}

/** G's first layer alone: z rows [n, zDim] (+ labels) -> activations [n, D]. Call inside tf.tidy. */
function firstLayer(G: Network, model: ModelConfig, z: Float32Array, labels: number[] | null): tf.Tensor2D {
  const n = z.length / model.zDim;
  const onehot = labels ? oneHot(labels, model.numClasses) : null;
  const head: Network = { ...G, spec: G.spec.slice(0, 1) };
  const a = generate(head, tf.tensor2d(z, [n, model.zDim]), onehot, { training: false });
  return tf.reshape(a, [n, -1]) as tf.Tensor2D;
}

/** Q [D, m] with orthonormal columns spanning Z's: Q = Z W diag(1/sqrt(l)) from Z^T Z = W diag(l) W^T. */
function orthonormalise(Z: tf.Tensor2D): tf.Tensor2D {
  const m = Z.shape[1];
  const gram = tf.tidy(() => tf.matMul(Z, Z, true, false));
  const { values, vectors } = symmetricEigen(Float64Array.from(gram.dataSync()), m);
  gram.dispose();
  const top = Math.max(...values);
  const scale = new Float32Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) scale[i * m + j] = vectors[i * m + j] / Math.sqrt(Math.max(values[j], top * 1e-12, 1e-30));
  return tf.tidy(() => tf.matMul(Z, tf.tensor2d(scale, [m, m])));
}

export interface DiscoveryProgress {
  phase: 'activations' | 'iterate' | 'done';
  /** Work units done and in all: chunks of sampled z, then power iterations, then the final step. */
  done: number;
  total: number;
}

/**
 * A discovery in small steps (a chunk of activations, one power iteration), so a task can report
 * progress and honour a cancel between them; `discoverDirections` runs one to the end.
 */
export class DirectionDiscovery {
  private readonly z: Float32Array;
  private readonly labels: number[] | null;
  private readonly parts: tf.Tensor2D[] = [];
  private Yc: tf.Tensor2D | null = null;
  private Q: tf.Tensor2D | null = null;
  private iteration = 0;
  private totalVariance = 0;
  private result: Directions | null = null;
  private readonly chunks: number;

  private constructor(
    private readonly G: Network,
    private readonly model: ModelConfig,
    private readonly count: number,
    private readonly samples: number,
    private readonly seed: number,
    private readonly iterations: number,
  ) {
    this.z = latentVectors(model, samples, deriveSeed(seed, DIRECTIONS_STREAM));
    this.labels = model.numClasses > 0 ? Array.from({ length: samples }, (_, i) => i % model.numClasses) : null;
    this.chunks = Math.ceil(samples / CHUNK);
  }

  static begin(G: Network, model: ModelConfig, options: DirectionOptions = {}): DirectionDiscovery {
    const count = options.count ?? 10;
    const samples = options.samples ?? 2000;
    if (!Number.isInteger(count) || count < 1 || count > model.zDim)
      throw invalid(`--count must be an integer in 1..${model.zDim} (this model's z size), got ${count}`);
    if (!Number.isInteger(samples) || samples < 2 * count || samples > 100_000)
      throw invalid(`--samples must be an integer in ${2 * count}..100000, got ${samples}`);
    return new DirectionDiscovery(G, model, count, samples, options.seed ?? 0, options.iterations ?? 12);
  }

  get done(): boolean {
    return this.result !== null;
  }

  progress(): DiscoveryProgress {
    const total = this.chunks + this.iterations + 1;
    if (this.result) return { phase: 'done', done: total, total };
    if (!this.Yc) return { phase: 'activations', done: this.parts.length, total };
    return { phase: 'iterate', done: this.chunks + this.iteration, total };
  }

  /** Does the next unit of work. */
  step(): DiscoveryProgress {
    if (this.result) return this.progress();
    const { model } = this;
    if (!this.Yc && this.parts.length < this.chunks) {
      // Activations of the next chunk of sampled z.
      const s = this.parts.length * CHUNK;
      const n = Math.min(CHUNK, this.samples - s);
      const z = this.z.subarray(s * model.zDim, (s + n) * model.zDim);
      this.parts.push(tf.tidy(() => firstLayer(this.G, model, z, this.labels?.slice(s, s + n) ?? null)));
    } else if (!this.Yc) this.centre();
    else if (this.iteration < this.iterations) {
      // Subspace iteration: Q <- orth(Yc^T Yc Q).
      const Yc = this.Yc;
      const Q = this.Q!;
      const Z = tf.tidy(() => tf.matMul(Yc, tf.matMul(Yc, Q), true, false) as tf.Tensor2D);
      Q.dispose();
      this.Q = orthonormalise(Z);
      Z.dispose();
      this.iteration++;
    } else this.result = this.finish();
    return this.progress();
  }

  /** All activations, centred: Yc [N, D]; and the power iteration's random start. */
  private centre(): void {
    const parts = this.parts.splice(0);
    const Yc = tf.tidy(() => {
      const Y = tf.concat(parts, 0);
      return tf.sub(Y, tf.mean(Y, 0, true)) as tf.Tensor2D;
    });
    tf.dispose(parts);
    this.Yc = Yc;
    const D = Yc.shape[1];
    const m = Math.min(this.count + OVERSAMPLE, D, this.samples);
    this.totalVariance = tf.tidy(() => tf.sum(tf.square(Yc)).dataSync()[0] / this.samples);
    const start = latentVectors({ zDim: D * m, latent: 'normal' }, 1, deriveSeed(this.seed, DIRECTIONS_STREAM, 1));
    const initial = tf.tensor2d(start, [D, m]);
    this.Q = orthonormalise(initial);
    initial.dispose();
  }

  /** Rayleigh-Ritz: B = (Yc Q)^T (Yc Q) / N = W diag(l) W^T; V = Q W (top k); then back to z. */
  private finish(): Directions {
    const { count, samples, model } = this;
    const Yc = this.Yc!;
    const Q = this.Q!;
    const m = Q.shape[1];
    const P = tf.tidy(() => tf.matMul(Yc, Q)); // [N, m] projections
    const B = tf.tidy(() => tf.div(tf.matMul(P, P, true, false), samples));
    const { values, vectors } = symmetricEigen(Float64Array.from(B.dataSync()), m);
    B.dispose();
    const order = Array.from(values.keys())
      .sort((a, b) => values[b] - values[a])
      .slice(0, count);
    const W = new Float32Array(m * count);
    order.forEach((col, i) => {
      for (let r = 0; r < m; r++) W[r * count + i] = vectors[r * m + col];
    });
    // Scores x = P W: [N, k].
    const scores = tf.tidy(() => tf.matMul(P, tf.tensor2d(W, [m, count])));
    const x = scores.dataSync() as Float32Array;
    tf.dispose([scores, P]);
    this.dispose();
    const raw = regressToZ(x, this.z, samples, count, model.zDim);
    const variance = order.map((col) => values[col]);
    return {
      layer: this.G.spec[0].name,
      samples,
      seed: this.seed,
      directions: gramSchmidt(raw),
      variance,
      explainedVariance: variance.map((v) => v / this.totalVariance),
      totalVariance: this.totalVariance,
    };
  }

  /** The directions, once `done`. */
  directions(): Directions {
    if (!this.result) throw new Error('The discovery has not finished');
    return this.result;
  }

  /** Frees the tensors (a cancelled discovery; done automatically at the end). */
  dispose(): void {
    tf.dispose(this.parts.splice(0));
    this.Yc?.dispose();
    this.Q?.dispose();
    this.Yc = null;
    this.Q = null;
  }
}

export function discoverDirections(G: Network, model: ModelConfig, options: DirectionOptions = {}): Directions {
  const job = DirectionDiscovery.begin(G, model, options);
  try {
    while (!job.done) job.step();
    return job.directions();
  } finally {
    job.dispose();
  }
}

/** u_i = sum_j x_ji (z_j - mean z) / sum_j x_ji^2, for scores x [N, k] and z [N, zDim]. */
export function regressToZ(x: ArrayLike<number>, z: ArrayLike<number>, n: number, k: number, zDim: number): Float64Array[] {
  const mean = new Float64Array(zDim);
  for (let j = 0; j < n; j++) for (let d = 0; d < zDim; d++) mean[d] += z[j * zDim + d] / n;
  return Array.from({ length: k }, (_, i) => {
    const u = new Float64Array(zDim);
    let ss = 0;
    for (let j = 0; j < n; j++) {
      const s = x[j * k + i];
      ss += s * s;
      for (let d = 0; d < zDim; d++) u[d] += s * (z[j * zDim + d] - mean[d]);
    }
    for (let d = 0; d < zDim; d++) u[d] /= ss || 1;
    return u;
  });
}

/** Orthonormal rows in the given order (classical Gram-Schmidt, twice for stability); largest entry positive. */
export function gramSchmidt(rows: Float64Array[]): Float32Array[] {
  const out: Float64Array[] = [];
  for (const row of rows) {
    const v = Float64Array.from(row);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        let dot = 0;
        for (let d = 0; d < v.length; d++) dot += v[d] * q[d];
        for (let d = 0; d < v.length; d++) v[d] -= dot * q[d];
      }
    }
    let norm = 0;
    for (const e of v) norm += e * e;
    norm = Math.sqrt(norm);
    if (!(norm > 1e-9)) throw new Error('Directions are linearly dependent: sample more z or ask for fewer directions');
    let big = 0;
    for (let d = 1; d < v.length; d++) if (Math.abs(v[d]) > Math.abs(v[big])) big = d;
    const sign = v[big] < 0 ? -1 : 1;
    for (let d = 0; d < v.length; d++) v[d] = (sign * v[d]) / norm;
    out.push(v);
  }
  return out.map((v) => Float32Array.from(v));
}

/** Plain-JSON form (dirs.json, the contract): numbers only. */
export function directionsJson(d: Directions) {
  return {
    format: 'ganvas-directions',
    version: 1,
    layer: d.layer,
    samples: d.samples,
    seed: d.seed,
    totalVariance: d.totalVariance,
    directions: d.directions.map((u, i) => ({
      rank: i + 1,
      explainedVariance: d.explainedVariance[i],
      variance: d.variance[i],
      vector: Array.from(u),
    })),
  };
}
