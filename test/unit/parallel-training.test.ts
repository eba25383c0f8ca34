/**
 * Data-parallel training (engine/train/parallel): K worker threads, each a replica training on its
 * slice of the batch, gradients averaged in shared memory. Runs the real workers on wasm.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { checkpointSteps, readCheckpoint } from '../../src-main/engine/project/checkpoints';
import { Project } from '../../src-main/engine/project/project';
import { cpuDeviceOpener, workersFor } from '../../src-main/engine/train/device/open-device';
import { LocalDevice } from '../../src-main/engine/train/device/local-device';
import { ParallelDevice } from '../../src-main/engine/train/parallel/parallel-device';
import { sliceSizes } from '../../src-main/engine/train/parallel/exchange';
import { chooseWorkers } from '../../src-main/engine/train/parallel/workers';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport, MetricRow } from '../../src-main/shared/types';
import { tinyMnistProject } from '../helpers/projects';

let backend: BackendReport;
const never = { stopRequested: () => false, whilePaused: async () => undefined };
const open: Trainer[] = [];

beforeAll(async () => {
  backend = await selectBackend('wasm');
});

afterEach(() => {
  for (const t of open.splice(0)) t.dispose();
});

/** The tiny MNIST net with a batch of 32, so two workers get 16 images each. */
const project32 = () => tinyMnistProject({ batchSize: 32 });

async function trainer(dir: string, workers: number): Promise<Trainer> {
  const project = Project.open(dir);
  const t = await Trainer.openOn(project, cpuDeviceOpener(project, backend, workers));
  open.push(t);
  return t;
}

async function rows(t: Trainer, n: number): Promise<MetricRow[]> {
  const out: MetricRow[] = [];
  for (let i = 0; i < n; i++) out.push(await t.runStep());
  return out;
}

const losses = (r: MetricRow[]) => r.map((m) => [m.dLoss, m.gLoss, m.dReal, m.dFake]);

describe('parallel training', () => {
  it('should open a ParallelDevice for 2 workers and today\'s LocalDevice for 1', async () => {
    const dir = await project32();
    expect((await trainer(dir, 1)).device).toBeInstanceOf(LocalDevice);
    const t = await trainer(dir, 2);
    expect(t.device).toBeInstanceOf(ParallelDevice);
    expect(t.status('running').workers).toBe(2);
  });

  it('should match the one-worker losses within 2e-2 over the first steps (BatchNorm sees 16 images per worker instead of 32)', async () => {
    const one = await rows(await trainer(await project32(), 1), 3);
    const two = await rows(await trainer(await project32(), 2), 3);
    for (let i = 0; i < 3; i++) {
      const [a, b] = [losses(one)[i], losses(two)[i]];
      a.forEach((v, k) => expect(Math.abs(v - b[k])).toBeLessThan(2e-2));
    }
  });
});

void chooseWorkers;
void sliceSizes;
void workersFor;
void checkpointSteps;
void readCheckpoint;
