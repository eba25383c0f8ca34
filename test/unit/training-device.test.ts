import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { buildGan, type Gan } from '../../src-main/engine/models/gan';
import { checkpointSteps } from '../../src-main/engine/project/checkpoints';
import { restoreGan } from '../../src-main/engine/project/gan-state';
import { Project } from '../../src-main/engine/project/project';
import { DeviceLostError, type StepData } from '../../src-main/engine/train/device/device';
import { LocalDevice } from '../../src-main/engine/train/device/local-device';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport } from '../../src-main/shared/types';
import { tinyMnistProject } from '../helpers/projects';

let backend: BackendReport;
const never = { stopRequested: () => false, whilePaused: async () => undefined };

beforeAll(async () => {
  backend = await selectBackend('wasm');
});

/** A local device that goes away after `steps` steps, as a closed compute window would. */
class LosingDevice extends LocalDevice {
  constructor(
    gan: Gan,
    backend: BackendReport,
    private left: number,
  ) {
    super(gan, backend);
  }
  override async step(data: StepData) {
    if (this.left-- <= 0) throw new DeviceLostError('the compute window was closed');
    return super.step(data);
  }
}

describe('Trainer on a device', () => {
  it('should train on a device opened from the newest checkpoint exactly as in this process', async () => {
    const a = await tinyMnistProject();
    const straight = Trainer.open(Project.open(a), backend);
    await straight.run({ untilStep: 2 }, never);
    const expected = [await straight.runStep(), await straight.runStep()];
    straight.dispose();

    const b = await tinyMnistProject();
    const first = Trainer.open(Project.open(b), backend);
    await first.run({ untilStep: 2 }, never);
    first.dispose();
    const project = Project.open(b);
    const resumed = await Trainer.openOn(project, async (start) => {
      const gan = buildGan(project.config.model, project.config.train);
      if (start) restoreGan(gan, start);
      return new LocalDevice(gan, backend);
    });
    expect(resumed.step).toBe(2);
    const got = [await resumed.runStep(), await resumed.runStep()];
    expect(got.map((r) => [r.dLoss, r.gLoss])).toEqual(expected.map((r) => [r.dLoss, r.gLoss]));
    resumed.dispose();
  });

  it('should end a run whose device is lost at its last checkpoint, with a message and the later history moved aside', async () => {
    const dir = await tinyMnistProject();
    const first = Trainer.open(Project.open(dir), backend);
    await first.run({ untilStep: 2 }, never);
    first.dispose();
    const project = Project.open(dir);
    const trainer = await Trainer.openOn(project, async (start) => {
      const gan = buildGan(project.config.model, project.config.train);
      if (start) restoreGan(gan, start);
      return new LosingDevice(gan, backend, 3);
    });
    const status = await trainer.run({ untilStep: 10 }, never);
    expect(status.state).toBe('idle');
    // The fixture checkpoints every 4 steps: steps 3-4 saved, step 5 trained on the device, then lost.
    expect(status.step).toBe(4);
    expect(status.message).toMatch(/device was lost \(the compute window was closed\).*step 4 \(1 later step was not saved\)/);
    expect(checkpointSteps(dir).at(-1)).toBe(4);
    expect(Project.open(dir).metrics().at(-1)!.step).toBe(4);
    trainer.dispose();
  });
});
