/** The networks in this process's tfjs: the CLI's and the Node compute host's way to train. */
import type { BackendReport } from '../../../shared/types';
import { disposeGan, samplingG, type Gan } from '../../models/gan';
import { snapshotGan } from '../../project/gan-state';
import { generateImages } from '../../sampling/sampler';
import { trainStep, type StepMetrics } from '../step';
import type { DeviceSnapshot, StepData, TrainingDevice } from './device';
import { stepTensors } from './step-tensors';

export class LocalDevice implements TrainingDevice {
  constructor(
    readonly gan: Gan,
    readonly backend: BackendReport,
  ) {}

  async step(data: StepData): Promise<StepMetrics> {
    return stepTensors(this.gan.config, data, (input) => trainStep(this.gan, input));
  }

  async generate(z: Float32Array, labels: number[] | null): Promise<Float32Array> {
    return generateImages(samplingG(this.gan), this.gan.config, z, labels);
  }

  async snapshot(): Promise<DeviceSnapshot> {
    return { tensors: snapshotGan(this.gan), adamSteps: { G: this.gan.optG.step, D: this.gan.optD.step } };
  }

  dispose(): void {
    disposeGan(this.gan);
  }
}
