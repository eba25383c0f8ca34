export type Point = readonly [x: number, y: number];

/**
 * Reduces a series (xs sorted ascending, ys alongside) to at most 4 points per horizontal bucket
 * (first, min, max, last: the M4 scheme) over [x0, x1], keeping one neighbour outside each edge
 * so lines run off the plot cleanly. With buckets = plot width in pixels, the drawn path looks
 * identical to the full series while staying a few thousand points long, however many rows
 * training has logged. Columns in, so a long history is never copied into per-point objects.
 */
export function decimateMinMax(xs: ArrayLike<number>, ys: ArrayLike<number>, x0: number, x1: number, buckets: number): Point[] {
  const n = Math.min(xs.length, ys.length);
  if (n === 0 || buckets < 1 || !(x1 > x0)) return [];
  const first = Math.max(0, lowerBound(xs, n, x0) - 1);
  const last = Math.min(n - 1, lowerBound(xs, n, x1));
  const out: Point[] = [];
  if (last - first + 1 <= buckets * 4) {
    for (let i = first; i <= last; i++) out.push([xs[i], ys[i]]);
    return out;
  }

  const scale = buckets / (x1 - x0);
  let bucket = Math.floor((xs[first] - x0) * scale);
  let start = first;
  let min = first;
  let max = first;
  const flush = (end: number) => {
    // Indices in x order, each once: first, then min/max in the order they occur, then last.
    const kept = [start, Math.min(min, max), Math.max(min, max), end].filter((index, i, all) => all.indexOf(index) === i);
    for (const index of kept) out.push([xs[index], ys[index]]);
  };
  for (let i = first + 1; i <= last; i++) {
    const b = Math.floor((xs[i] - x0) * scale);
    if (b !== bucket) {
      flush(i - 1);
      bucket = b;
      start = min = max = i;
      continue;
    }
    if (ys[i] < ys[min]) min = i;
    if (ys[i] > ys[max]) max = i;
  }
  flush(last);
  return out;
}

/** Index of the first x >= target (xs sorted ascending). */
function lowerBound(xs: ArrayLike<number>, n: number, target: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
