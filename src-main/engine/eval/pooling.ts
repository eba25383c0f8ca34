/**
 * Adaptive max pooling to a fixed grid (paper Sec. 5.1: "maxpooling each layer's representation
 * to produce a 4 x 4 spatial grid"). Feature maps whose size the grid divides (16 -> 4) pool with
 * equal windows; others (MNIST's 14 and 7) use PyTorch's AdaptiveMaxPool2d windows
 *   start_i = floor(i * H / out), end_i = ceil((i + 1) * H / out),
 * which overlap where needed so every input cell is covered. Max over a rectangle equals the max
 * over its rows then its columns, so the pooling is two 1-D passes.
 */
import { tf } from '../backend/tf';

/** [start, end) windows along one axis of length `size`, for `out` outputs. */
export function adaptiveWindows(size: number, out: number): [number, number][] {
  return Array.from({ length: out }, (_, i) => [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)]);
}

function poolAxis(x: tf.Tensor4D, axis: 1 | 2, out: number): tf.Tensor4D {
  const size = x.shape[axis];
  const parts = adaptiveWindows(size, out).map(([s, e]) => {
    const begin = [0, 0, 0, 0];
    const extent = [...x.shape];
    begin[axis] = s;
    extent[axis] = e - s;
    return tf.max(tf.slice(x, begin, extent), axis, true);
  });
  return tf.concat(parts, axis) as tf.Tensor4D;
}

/** Max-pools x [B, H, W, C] to [B, grid, grid, C]; maps smaller than the grid repeat cells (as PyTorch). */
export function adaptiveMaxPool(x: tf.Tensor4D, grid: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    if (h === grid && w === grid) return tf.clone(x);
    if (h % grid === 0 && w % grid === 0) {
      const kh = h / grid;
      const kw = w / grid;
      return tf.maxPool(x, [kh, kw], [kh, kw], 'valid');
    }
    return poolAxis(poolAxis(x, 1, grid), 2, grid);
  });
}
