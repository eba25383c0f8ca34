/** Summary statistics of feature rows and distance lists, in Float64 (tf-free). */

export interface Gaussian {
  /** Mean [d]. */
  mean: Float64Array;
  /** Unbiased covariance [d, d] row-major (divides by n - 1, as numpy's cov in the FID reference). */
  cov: Float64Array;
  d: number;
  n: number;
}

/** Mean and covariance of n rows of d features (rows [n, d] row-major). */
export function fitGaussian(rows: ArrayLike<number>, n: number, d: number): Gaussian {
  if (n < 2) throw new Error(`A covariance needs at least 2 samples, got ${n}`);
  if (rows.length < n * d) throw new Error(`fitGaussian: expected ${n * d} values, got ${rows.length}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += rows[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  // Two-pass (centre first): the one-pass E[xx] - E[x]E[x] loses precision for large means.
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = rows[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ca = centred[a];
      if (ca === 0) continue;
      const base = a * d;
      for (let b = a; b < d; b++) cov[base + b] += ca * centred[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { mean, cov, d, n };
}

/** Linear-interpolated quantile (numpy's default) of unsorted values; q in [0, 1]. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface DistanceSummary {
  mean: number;
  median: number;
  p10: number;
  p90: number;
  min: number;
}

export function summarizeDistances(values: ArrayLike<number>): DistanceSummary {
  let sum = 0;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    min = Math.min(min, values[i]);
  }
  return {
    mean: sum / values.length,
    median: quantile(values, 0.5),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    min,
  };
}
