/** The networks in this process's tfjs: the CLI's and the Node compute host's way to train. */
import type { BackendReport, ModelConfig } from '../../../shared/types';
import { tf } from '../../backend/tf';
import { disposeGan, type Gan } from '../../models/gan';
import { snapshotGan } from '../../project/gan-state';
import { generateImages } from '../../sampling/sampler';
import { oneHot } from '../../sampling/noise';
import { trainStep, type StepMetrics } from '../step';
import type { DeviceSnapshot, StepData, TrainingDevice } from './device';

/** Runs one step on `gan` from plain arrays; allocates no tensor that outlives the call. */
export function stepFromArrays(gan: Gan, model: ModelConfig, data: StepData): StepMetrics {
  const n = data.z.length / model.zDim;
  const real = tf.tensor4d(data.images, [n, model.size, model.size, model.channels]);
  const onehot = data.labels && model.numClasses > 0 ? oneHot(data.labels, model.numClasses) : null;
  const fakeOnehot = data.fakeLabels && data.fakeLabels !== data.labels ? oneHot(data.fakeLabels, model.numClasses) : onehot;
  const z = tf.tensor2d(data.z, [n, model.zDim]);
  try {
    return trainStep(gan, { real, onehot, fakeOnehot, z, dropoutSeed: data.dropoutSeed });
  } finally {
    tf.dispose([real, z, ...(onehot ? [onehot] : []), ...(fakeOnehot && fakeOnehot !== onehot ? [fakeOnehot] : [])]);
  }
}

export class LocalDevice implements TrainingDevice {
  constructor(
    readonly gan: Gan,
    readonly backend: BackendReport,
  ) {}

  async step(data: StepData): Promise<StepMetrics> {
    return stepFromArrays(this.gan, this.gan.config, data);
  }

  async generate(z: Float32Array, labels: number[] | null): Promise<Float32Array> {
    return generateImages(this.gan.G, this.gan.config, z, labels);
  }

  async snapshot(): Promise<DeviceSnapshot> {
    return { tensors: snapshotGan(this.gan), adamSteps: { G: this.gan.optG.step, D: this.gan.optD.step } };
  }

  dispose(): void {
    disposeGan(this.gan);
  }
}
