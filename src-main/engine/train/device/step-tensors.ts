/** A step's plain arrays as the tensors trainStep takes (pure tfjs: runs in Node and in the compute window). */
import type { ModelConfig } from '../../../shared/types';
import { tf } from '../../backend/tf';
import { oneHot } from '../../sampling/noise';
import type { StepInput } from '../step';
import type { StepData } from './device';

/** Calls `run` with `data` as tensors and frees them after; `run` must not keep them. */
export function stepTensors<T>(model: ModelConfig, data: StepData, run: (input: StepInput) => T): T {
  const n = data.z.length / model.zDim;
  const real = tf.tensor4d(data.images, [n, model.size, model.size, model.channels]);
  const onehot = data.labels && model.numClasses > 0 ? oneHot(data.labels, model.numClasses) : null;
  const fakeOnehot = data.fakeLabels && data.fakeLabels !== data.labels ? oneHot(data.fakeLabels, model.numClasses) : onehot;
  const z = tf.tensor2d(data.z, [n, model.zDim]);
  try {
    return run({ real, onehot, fakeOnehot, z, dropoutSeed: data.dropoutSeed });
  } finally {
    tf.dispose([real, z, ...(onehot ? [onehot] : []), ...(fakeOnehot && fakeOnehot !== onehot ? [fakeOnehot] : [])]);
  }
}
