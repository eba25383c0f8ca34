/**
 * Fast Tile for wasm. BatchNorm gradients tile per-channel vectors to the
 * activation shape ([1,1,1,C] x [B,H,W,1]); wasm's generic Tile loop computes a
 * multi-index per element and is ~90x slower than a broadcasting add.
 *
 * tile(x, reps) viewed in "interleaved" shape [r0,d0,r1,d1,...] is x (reshaped
 * to [1,d0,1,d1,...]) broadcast along the r axes. Size-1 axes are dropped and
 * neighbouring axes of the same kind merged ([64,1,14,1,14,1,1,64] becomes
 * [12544 (repeat), 64 (data)]), then `x + fill(-0)` materialises the broadcast
 * in one XNNPACK pass. Adding -0 is exact for every float, including -0 and NaN.
 */
import { tf } from '../tf';
import { asTensor, input } from './util';

/**
 * wasm's broadcasting binary ops silently return wrong values above rank 6
 * (XNNPACK setup fails with status 4 and the output is left as is); measured.
 */
const MAX_BROADCAST_RANK = 6;

export interface TilePlan {
  /** Shape x is reshaped to: data axes keep their size, repeat axes are 1. */
  xShape: number[];
  /** Shape of the broadcast result before the final reshape. */
  broadcastShape: number[];
  /** The Tile output shape. */
  outShape: number[];
}

/** Plans the broadcast form of tile(x, reps); null when the fast path does not apply. */
export function planTile(shape: readonly number[], reps: readonly number[]): TilePlan | null {
  if (shape.length !== reps.length) return null;
  const xShape: number[] = [];
  const broadcastShape: number[] = [];
  let lastKind: 'r' | 'd' | null = null;
  const push = (size: number, kind: 'r' | 'd'): void => {
    if (size === 1) return;
    if (kind === lastKind) {
      broadcastShape[broadcastShape.length - 1] *= size;
      if (kind === 'd') xShape[xShape.length - 1] *= size;
    } else {
      broadcastShape.push(size);
      xShape.push(kind === 'd' ? size : 1);
      lastKind = kind;
    }
  };
  for (let i = 0; i < shape.length; i++) {
    push(reps[i], 'r');
    push(shape[i], 'd');
  }
  const outShape = shape.map((d, i) => d * reps[i]);
  const repeats = xShape.some((d, i) => d !== broadcastShape[i]);
  if (!repeats || broadcastShape.length > MAX_BROADCAST_RANK) return null;
  return { xShape, broadcastShape, outShape };
}

/**
 * tf.tile through a broadcasting add.
 * @param x any float32/int32 tensor
 * @returns shape x.shape[i] * reps[i]
 */
export function tileFast(x: tf.Tensor, plan: TilePlan): tf.Tensor {
  return tf.tidy(() => {
    const filler = tf.fill(plan.broadcastShape, -0, x.dtype);
    return tf.reshape(tf.add(tf.reshape(x, plan.xShape), filler), plan.outShape);
  });
}

/** Registry entry: the fast path, or the stock kernel (other dtypes, rank > 6, no repeats, empty). */
export function makeTileKernel(stock: tf.KernelFunc | undefined): tf.KernelFunc {
  return (args) => {
    const x = input(args.inputs, 'x');
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    const okDtype = x.dtype === 'float32' || x.dtype === 'int32';
    const empty = x.shape.some((d) => d === 0) || reps.some((r) => r === 0);
    const plan = okDtype && !empty ? planTile(x.shape, reps) : null;
    if (plan === null) {
      if (!stock) throw new Error('Tile: unsupported case and no stock wasm kernel');
      return stock(args);
    }
    return tf.tidy(() => tileFast(asTensor(x), plan));
  };
}
