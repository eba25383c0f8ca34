/**
 * The full checkpoint of an imported model: its imported tensors over a freshly built GAN (so a
 * missing D gets the project seed's initial weights) with zeroed Adam state, in the layout
 * writeCheckpoint stores. A new project holds it as its step-0 checkpoint.
 */
import type { TrainHyper } from '../../shared/types';
import { tf } from '../backend/tf';
import { buildGan, disposeGan, ganState } from '../models/gan';
import type { TensorRecord } from '../project/checkpoints';
import { snapshotGan } from '../project/gan-state';
import type { ImportedModel } from './import-model';

export function importedCheckpointTensors(
  imported: ImportedModel,
  hyper: Pick<TrainHyper, 'learningRate' | 'beta1' | 'beta2' | 'seed'>,
): TensorRecord[] {
  const gan = buildGan(imported.model, hyper);
  try {
    const state = ganState(gan);
    for (const t of imported.tensors) {
      const v = state.get(t.name);
      if (!v) throw new Error(`internal: the imported tensor ${t.name} has no place in the model`);
      if (v.shape.join('x') !== t.shape.join('x'))
        throw new Error(`internal: ${t.name} is ${t.shape.join('x')}, the model has ${v.shape.join('x')}`);
    }
    tf.tidy(() => {
      for (const t of imported.tensors) state.get(t.name)!.assign(tf.tensor(t.values, t.shape));
    });
    return snapshotGan(gan);
  } finally {
    disposeGan(gan);
  }
}
