/**
 * Exponential moving average, debiased like TensorBoard's smoothing so the first points are not
 * pulled towards zero. weight 0 returns a copy of the values; 0.99 is very smooth. NaN and
 * infinite values pass through without entering the average.
 */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const smoothed = Float64Array.from(values);
  if (weight <= 0) return smoothed;
  let average = 0;
  let debias = 1;
  for (let i = 0; i < smoothed.length; i++) {
    const value = smoothed[i];
    if (!Number.isFinite(value)) continue;
    average = average * weight + (1 - weight) * value;
    debias *= weight;
    smoothed[i] = average / (1 - debias);
  }
  return smoothed;
}
