/** Converting a GAN's full training state to and from checkpoint tensor records. */
import { damaged } from '../../shared/errors';
import { tf } from '../backend/tf';
import { ganState, type Gan } from '../models/gan';
import type { Checkpoint, TensorRecord } from './checkpoints';

export function snapshotGan(gan: Gan): TensorRecord[] {
  return [...ganState(gan)].map(([name, v]) => ({ name, shape: v.shape, values: v.dataSync() as Float32Array }));
}

/** Loads every tensor; a checkpoint from another architecture is refused with the first mismatch. */
export function restoreGan(gan: Gan, ckpt: Checkpoint): void {
  const state = ganState(gan);
  for (const [name, v] of state) {
    const rec = ckpt.tensors.get(name);
    if (!rec) throw damaged(`Checkpoint at step ${ckpt.header.step} has no tensor ${name}: it belongs to a different architecture`);
    if (rec.shape.join('x') !== v.shape.join('x')) {
      throw damaged(`Checkpoint tensor ${name} is ${rec.shape.join('x')}, the model expects ${v.shape.join('x')}`);
    }
  }
  tf.tidy(() => {
    for (const [name, v] of state) {
      const rec = ckpt.tensors.get(name)!;
      v.assign(tf.tensor(rec.values, rec.shape));
    }
  });
  gan.optG.step = ckpt.header.adamSteps.G;
  gan.optD.step = ckpt.header.adamSteps.D;
}
