/**
 * The linear classifier's objective with its two big products on the tfjs backend: scores
 * X W^T [n, K] and the weight gradient dS^T X [K, d] are matMuls (XNNPACK on wasm, ~50x the JS
 * loops for N = 1000, d = 3072); the per-example losses, the regulariser and L-BFGS itself stay
 * in Float64 JS (linear-classifier.ts), so both implementations share every formula but the products.
 */
import { tf } from '../backend/tf';
import { addL2, exampleLoss, type ObjectiveFactory } from './linear-classifier';

export const tfLinearObjective: ObjectiveFactory = (x, y, n, d, numClasses, loss, lambda) => {
  const K = numClasses;
  const xt = tf.tensor2d(x.subarray(0, n * d), [n, d]);
  const dScores = new Float32Array(n * K);
  const objective = (theta: Float64Array, grad: Float64Array) => {
    const scores = tf.tidy(() => {
      const w = tf.tensor2d(Float32Array.from(theta.subarray(0, K * d)), [K, d]);
      const b = tf.tensor1d(Float32Array.from(theta.subarray(K * d)));
      return tf.add(tf.matMul(xt, w, false, true), b);
    });
    const s = scores.dataSync();
    scores.dispose();
    let total = 0;
    for (let i = 0; i < n; i++) total += exampleLoss(s, dScores, i * K, K, y[i], loss);
    const gw = tf.tidy(() => tf.matMul(tf.tensor2d(dScores, [n, K]), xt, true, false));
    const g = gw.dataSync();
    gw.dispose();
    for (let j = 0; j < K * d; j++) grad[j] = g[j] / n;
    for (let k = 0; k < K; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += dScores[i * K + k];
      grad[K * d + k] = sum / n;
    }
    return total / n + addL2(theta, grad, K * d, lambda);
  };
  return Object.assign(objective, { dispose: () => xt.dispose() });
};
