/**
 * Precision and recall of a generator as k-NN manifolds (Kynkäänniemi et al., NeurIPS 2019,
 * "Improved Precision and Recall Metric for Assessing Generative Models", Sec. 2): each feature
 * set approximates its manifold as the union of balls around its points, each ball reaching the
 * point's k-th nearest neighbour in the same set (the point itself excluded). Then
 *   precision = share of generated points inside the real manifold (fidelity),
 *   recall    = share of real points inside the generated manifold (coverage).
 * Both depend on k and on the number of points (more points, smaller balls), so they compare only
 * at equal counts; the paper uses k = 3. Also: the diversity and near-duplicate statistics the
 * collapse detector reads. All tf-free, exact, in Float64 (neighbours from eval/neighbours.ts).
 */
import { nearestNeighbours } from '../eval/neighbours';
import { quantile } from '../eval/stats';

export const MANIFOLD_K = 3;

/** What a feature set's own k-NN search gives: each row's ball radius and its nearest other row. */
export interface SelfNeighbours {
  /** Distance to the k-th nearest other row: the radius of the row's ball [n]. */
  radius: Float64Array;
  /** Distance to the nearest other row [n] (0 for an exact duplicate). */
  nearest: Float64Array;
}

/** Rows [n, d] against themselves: k + 1 neighbours, the first being the row itself (distance 0). */
export function selfNeighbours(rows: ArrayLike<number>, n: number, d: number, k = MANIFOLD_K): SelfNeighbours {
  if (n < k + 1) throw new Error(`k-NN manifolds with k = ${k} need at least ${k + 1} points, got ${n}`);
  const nn = nearestNeighbours(rows, n, rows, n, d, k + 1);
  const radius = new Float64Array(n);
  const nearest = new Float64Array(n);
  // Sorted ascending, so index 0 is 0 (the row itself, or a duplicate tied with it) and index 1
  // is the nearest *other* row either way; index k is the k-th other row.
  for (let i = 0; i < n; i++) {
    nearest[i] = nn.distance[i * nn.k + 1];
    radius[i] = nn.distance[i * nn.k + k];
  }
  return { radius, nearest };
}

/**
 * Share of query rows [q, d] inside at least one ball of the reference rows [m, d] (radius per
 * reference row). A point on a ball's boundary counts as inside, as in the paper's code (<=).
 */
export function coverage(
  queries: ArrayLike<number>,
  q: number,
  reference: ArrayLike<number>,
  m: number,
  d: number,
  radius: Float64Array,
): number {
  // Largest balls first: most queries find a ball early and stop.
  const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => radius[b] - radius[a]);
  const r2 = Float64Array.from(order, (j) => radius[j] * radius[j]);
  let inside = 0;
  for (let i = 0; i < q; i++) {
    const qo = i * d;
    for (let t = 0; t < m; t++) {
      const ro = order[t] * d;
      const bound = r2[t];
      let acc = 0;
      for (let c = 0; c < d && acc <= bound; c++) {
        const diff = queries[qo + c] - reference[ro + c];
        acc += diff * diff;
      }
      if (acc <= bound) {
        inside++;
        break;
      }
    }
  }
  return inside / q;
}

/** Mean Euclidean distance over all pairs of distinct rows (a set's spread); 0 when every row is one point. */
export function meanPairwiseDistance(rows: ArrayLike<number>, n: number, d: number): number {
  if (n < 2) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let acc = 0;
      for (let c = 0; c < d; c++) {
        const diff = rows[i * d + c] - rows[j * d + c];
        acc += diff * diff;
      }
      sum += Math.sqrt(acc);
    }
  }
  return sum / ((n * (n - 1)) / 2);
}

/** Share of `nearest` distances at or below `radius`. */
export function shareWithin(nearest: ArrayLike<number>, radius: number): number {
  let hits = 0;
  for (let i = 0; i < nearest.length; i++) if (nearest[i] <= radius) hits++;
  return nearest.length ? hits / nearest.length : 0;
}

/**
 * The near-duplicate radius: the `q`-quantile of the real rows' nearest-other distances. A
 * sample whose nearest other sample is closer than that is as close to a copy as only the
 * closest few real pairs are; real data itself gives about `q` of such points.
 */
export const nearDuplicateRadius = (realNearest: ArrayLike<number>, q: number) => quantile(realNearest, q);
