/**
 * Exponential moving average, debiased like TensorBoard's smoothing so the first points are not
 * pulled towards zero. weight 0 returns the values unchanged; 0.99 is very smooth.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return values.slice();
  const smoothed = new Array<number>(values.length);
  let average = 0;
  let debias = 1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      smoothed[i] = value;
      continue;
    }
    average = average * weight + (1 - weight) * value;
    debias *= weight;
    smoothed[i] = average / (1 - debias);
  }
  return smoothed;
}
