/**
 * Exact nearest neighbours under L2, tf-free: for each query row, the k closest reference rows.
 * The reference set is walked in blocks so each block stays in cache while every query is
 * compared against it; distances are accumulated in Float64 from direct differences (no
 * ||a||^2 + ||b||^2 - 2ab expansion, whose cancellation makes near-duplicates look apart —
 * exactly the pairs a memorisation check exists to find).
 */

export interface Neighbours {
  /** [queries, k] reference row indices, nearest first. */
  index: Int32Array;
  /** [queries, k] Euclidean distances, ascending. */
  distance: Float64Array;
  k: number;
}

/**
 * k nearest reference rows (reference [m, d]) for every query row (queries [q, d]).
 * `onBlock(done, total)` reports progress in reference rows.
 */
export function nearestNeighbours(
  queries: ArrayLike<number>,
  q: number,
  reference: ArrayLike<number>,
  m: number,
  d: number,
  k = 1,
  onBlock?: (done: number, total: number) => void,
): Neighbours {
  if (m < 1) throw new Error('nearestNeighbours: the reference set is empty');
  const kk = Math.min(k, m);
  const index = new Int32Array(q * kk).fill(-1);
  const sq = new Float64Array(q * kk).fill(Infinity);
  const block = Math.max(1, Math.floor(65536 / Math.max(1, d)));
  for (let start = 0; start < m; start += block) {
    const end = Math.min(m, start + block);
    for (let i = 0; i < q; i++) {
      const qo = i * d;
      const worstAt = i * kk + kk - 1;
      for (let r = start; r < end; r++) {
        const ro = r * d;
        const bound = sq[worstAt];
        let acc = 0;
        let j = 0;
        // Partial distance search: stop summing once this row cannot enter the top k.
        for (; j < d && acc < bound; j += 8) {
          const stop = Math.min(d, j + 8);
          for (let t = j; t < stop; t++) {
            const diff = queries[qo + t] - reference[ro + t];
            acc += diff * diff;
          }
        }
        if (acc >= bound) continue;
        insert(index, sq, i * kk, kk, r, acc);
      }
    }
    onBlock?.(end, m);
  }
  return { index, distance: sq.map(Math.sqrt), k: kk };
}

/** Inserts (r, dist) into a sorted top-k list at `base`, dropping the last entry. */
function insert(index: Int32Array, sq: Float64Array, base: number, k: number, r: number, dist: number): void {
  let pos = k - 1;
  while (pos > 0 && sq[base + pos - 1] > dist) {
    sq[base + pos] = sq[base + pos - 1];
    index[base + pos] = index[base + pos - 1];
    pos--;
  }
  sq[base + pos] = dist;
  index[base + pos] = r;
}
