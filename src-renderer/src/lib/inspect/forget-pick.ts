/**
 * Which of G's feature maps to drop after the "inside a box" regression (paper Sec. 6.3.1).
 * The paper drops every map with a positive weight; on a small net that is about half of them and
 * every sample turns to noise, so the default is the few maps that weigh most.
 */
export const DEFAULT_TOP_MAPS = 3;

/** The `count` channels with the largest positive weights, in channel order. */
export function topMaps(weights: readonly number[], count: number): number[] {
  return weights
    .map((w, c) => [w, c] as const)
    .filter(([w]) => w > 0)
    .sort((a, b) => b[0] - a[0])
    .slice(0, Math.max(0, Math.floor(count)))
    .map(([, c]) => c)
    .sort((a, b) => a - b);
}

/** Channels whose weight is above `threshold`, in channel order (the paper's rule with 0). */
export function mapsAbove(weights: readonly number[], threshold: number): number[] {
  return weights.flatMap((w, c) => (w > threshold ? [c] : []));
}
