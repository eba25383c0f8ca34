export type Point = readonly [x: number, y: number];

/**
 * Reduces a series sorted by x to at most ~4 points per horizontal bucket (first, min, max, last)
 * over [x0, x1], keeping one neighbour outside each edge so lines run off the plot cleanly.
 * With buckets = plot width in pixels, the drawn path looks identical to the full series while
 * staying a few thousand points long, however many rows training has logged.
 */
export function decimateMinMax(points: readonly Point[], x0: number, x1: number, buckets: number): Point[] {
  if (points.length === 0 || buckets < 1 || !(x1 > x0)) return [];
  const first = Math.max(0, lowerBound(points, x0) - 1);
  const last = Math.min(points.length - 1, lowerBound(points, x1));
  if (last - first + 1 <= buckets * 4) return points.slice(first, last + 1);

  const out: Point[] = [];
  const scale = buckets / (x1 - x0);
  let bucket = Number.NaN;
  let firstP: Point | null = null;
  let minP: Point | null = null;
  let maxP: Point | null = null;
  let lastP: Point | null = null;
  const flush = () => {
    if (!firstP || !minP || !maxP || !lastP) return;
    const kept = [firstP, minP, maxP, lastP].filter((p, i, all) => all.indexOf(p) === i);
    kept.sort((a, b) => a[0] - b[0]);
    out.push(...kept);
  };
  for (let i = first; i <= last; i++) {
    const p = points[i];
    const b = Math.floor((p[0] - x0) * scale);
    if (b !== bucket) {
      flush();
      bucket = b;
      firstP = minP = maxP = p;
    }
    if (p[1] < minP![1]) minP = p;
    if (p[1] > maxP![1]) maxP = p;
    lastP = p;
  }
  flush();
  return out;
}

/** Index of the first point with x >= target (points sorted by x). */
function lowerBound(points: readonly Point[], target: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid][0] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
