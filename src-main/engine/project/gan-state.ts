/** Converting a GAN's full training state to and from checkpoint tensor records. */
import { damaged } from '../../shared/errors';
import { tf } from '../backend/tf';
import { ganState, type Gan } from '../models/gan';
import { EMA_PREFIX, resetAverage } from '../train/ema';
import type { Checkpoint, TensorRecord } from './checkpoints';

export function snapshotGan(gan: Gan): TensorRecord[] {
  return [...ganState(gan)].map(([name, v]) => ({ name, shape: v.shape, values: v.dataSync() as Float32Array }));
}

/** True when the checkpoint holds a moving average of G (train/ema.ts). */
export const hasAverage = (ckpt: Checkpoint): boolean => [...ckpt.tensors.keys()].some((name) => name.startsWith(`${EMA_PREFIX}/`));

/**
 * Loads every tensor; a checkpoint from another architecture is refused with the first mismatch.
 * A run that averages G resumed from a checkpoint without an average (made before the setting was
 * on) starts its average at the checkpoint's G.
 */
export function restoreGan(gan: Gan, ckpt: Checkpoint): void {
  const state = ganState(gan);
  const averaged = hasAverage(ckpt);
  const expected = [...state].filter(([name]) => averaged || !name.startsWith(`${EMA_PREFIX}`));
  for (const [name, v] of expected) {
    const rec = ckpt.tensors.get(name);
    if (!rec) throw damaged(`Checkpoint at step ${ckpt.header.step} has no tensor ${name}: it belongs to a different architecture`);
    if (rec.shape.join('x') !== v.shape.join('x')) {
      throw damaged(`Checkpoint tensor ${name} is ${rec.shape.join('x')}, the model expects ${v.shape.join('x')}`);
    }
  }
  tf.tidy(() => {
    for (const [name, v] of expected) {
      const rec = ckpt.tensors.get(name)!;
      v.assign(tf.tensor(rec.values, rec.shape));
    }
  });
  if (gan.ema && !averaged) resetAverage(gan.ema.G, gan.G);
  gan.optG.step = ckpt.header.adamSteps.G;
  gan.optD.step = ckpt.header.adamSteps.D;
}
