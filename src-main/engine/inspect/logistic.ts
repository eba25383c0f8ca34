/**
 * L2-regularised logistic regression for the forgetting view (paper Sec. 6.3.1): which of G's
 * feature maps predict "this position is inside a box".
 *
 * Deterministic by construction: features standardised per column (so one L2 strength and one
 * step size suit every layer), classes weighted equally (a few boxed positions against many
 * outside), full-batch Nesterov accelerated gradient with the fixed step 1/L, where L bounds the
 * gradient's Lipschitz constant (1/4 of the weighted trace of X'X, plus the L2 strength).
 */
import { tf } from '../backend/tf';

export interface LogisticOptions {
  /** L2 strength on the (standardised) weights; the intercept is not penalised. */
  l2?: number;
  iterations?: number;
}

export interface LogisticFit {
  /** One weight per feature, on standardised features: the sign says which way the feature pushes. */
  weights: Float64Array;
  bias: number;
  /** Mean of the accuracy on positives and on negatives (training rows). */
  balancedAccuracy: number;
}

/** Column means and standard deviations (a constant column gets std 1, so it stays 0). */
function standardise(X: Float32Array, n: number, d: number): Float32Array {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (X[i * d + j] - mean[j]) ** 2;
  const out = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const std = Math.sqrt(sq[j] / n) || 1;
    for (let i = 0; i < n; i++) out[i * d + j] = (X[i * d + j] - mean[j]) / std;
  }
  return out;
}

/**
 * Fits p(y = 1 | x) = sigmoid(w . standardise(x) + b).
 * @param X n x d features, flat row-major. @param y 0/1 label per row (both classes needed).
 */
export function fitLogistic(X: Float32Array, y: Uint8Array, d: number, opts: LogisticOptions = {}): LogisticFit {
  const n = y.length;
  if (X.length !== n * d) throw new Error(`fitLogistic: X has ${X.length} values, expected ${n} x ${d}`);
  const positives = y.reduce((a, v) => a + v, 0);
  if (positives === 0 || positives === n) throw new Error('Need positions both inside and outside the boxes to fit');
  const l2 = opts.l2 ?? 1e-2;
  const iterations = opts.iterations ?? 400;
  const Xs = standardise(X, n, d);
  const weight = new Float32Array(n);
  let trace = 0;
  for (let i = 0; i < n; i++) {
    weight[i] = y[i] ? 0.5 / positives : 0.5 / (n - positives);
    let norm = 1; // the intercept's column of ones
    for (let j = 0; j < d; j++) norm += Xs[i * d + j] ** 2;
    trace += weight[i] * norm;
  }
  const step = 1 / (0.25 * trace + l2);

  const Xt = tf.tensor2d(Xs, [n, d]);
  const yt = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const st = tf.tensor2d(weight, [n, 1]);
  // x: the iterate; prev: the one before (momentum). Each is [w (d x 1), b (scalar)].
  let x = [tf.zeros([d, 1]), tf.scalar(0)];
  let prev = x.map((t) => tf.clone(t));
  for (let k = 1; k <= iterations; k++) {
    const next = tf.tidy(() => {
      const momentum = (k - 1) / (k + 2);
      const [w, b] = [0, 1].map((i) => tf.add(x[i], tf.mul(tf.sub(x[i], prev[i]), momentum)));
      const r = tf.mul(st, tf.sub(tf.sigmoid(tf.add(tf.matMul(Xt, w), b)), yt));
      const gw = tf.add(tf.matMul(Xt, r, true, false), tf.mul(w, l2));
      return [tf.sub(w, tf.mul(gw, step)), tf.sub(b, tf.mul(tf.sum(r), step))];
    });
    for (const t of prev) t.dispose();
    prev = x;
    x = next;
  }
  const weights = Float64Array.from(x[0].dataSync());
  const bias = x[1].dataSync()[0];
  for (const t of [...x, ...prev, Xt, yt, st]) t.dispose();

  let truePos = 0;
  let trueNeg = 0;
  for (let i = 0; i < n; i++) {
    let logit = bias;
    for (let j = 0; j < d; j++) logit += weights[j] * Xs[i * d + j];
    if (y[i] && logit > 0) truePos++;
    if (!y[i] && logit <= 0) trueNeg++;
  }
  return { weights, bias, balancedAccuracy: 0.5 * (truePos / positives + trueNeg / (n - positives)) };
}
