import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { checkpointSteps } from '../../src-main/engine/project/checkpoints';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport } from '../../src-main/shared/types';
import { tinyMnist, tinyMnistProject } from '../helpers/projects';

let backend: BackendReport;
const never = { stopRequested: () => false, whilePaused: async () => undefined };

beforeAll(async () => {
  backend = await selectBackend('wasm');
});

describe('trainStep', () => {
  it('should leave tf.memory().numTensors unchanged after each step', async () => {
    const trainer = Trainer.open(await tinyMnist(), backend);
    await trainer.runStep(); // first step may allocate lazily-created kernels' state
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await trainer.runStep();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('should change the weights of both networks and report finite losses and D outputs in (0, 1)', async () => {
    const trainer = Trainer.open(await tinyMnist(), backend);
    const g0 = trainer.gan.G.params.get('g1.w')!.dataSync().slice();
    const d0 = trainer.gan.D.params.get('d1.w')!.dataSync().slice();
    const row = await trainer.runStep();
    expect(trainer.gan.G.params.get('g1.w')!.dataSync()).not.toEqual(g0);
    expect(trainer.gan.D.params.get('d1.w')!.dataSync()).not.toEqual(d0);
    for (const v of [row.dLoss, row.gLoss]) expect(Number.isFinite(v)).toBe(true);
    for (const v of [row.dReal, row.dFake]) expect(v > 0 && v < 1).toBe(true);
    trainer.dispose();
  });

  it('should teach D to separate real from fake within a few steps', async () => {
    const trainer = Trainer.open(await tinyMnist(), backend);
    let row = await trainer.runStep();
    for (let i = 0; i < 15; i++) row = await trainer.runStep();
    expect(row.dReal - row.dFake).toBeGreaterThan(0.1);
    trainer.dispose();
  });
});

describe('checkpoints and resume', () => {
  it('should give the same next-step losses after a resume as an uninterrupted run', async () => {
    const a = await tinyMnistProject();
    const b = await tinyMnistProject();
    const straight = Trainer.open(Project.open(a), backend);
    await straight.run({ untilStep: 4 }, never);
    const expected = [await straight.runStep(), await straight.runStep(), await straight.runStep()];
    straight.dispose();

    const first = Trainer.open(Project.open(b), backend);
    await first.run({ untilStep: 4 }, never);
    first.dispose();
    const resumed = Trainer.open(Project.open(b), backend);
    expect(resumed.step).toBe(4);
    const got = [await resumed.runStep(), await resumed.runStep(), await resumed.runStep()];
    resumed.dispose();
    for (const [i, row] of got.entries()) {
      expect(row.step).toBe(expected[i].step);
      expect(row.dLoss).toBeCloseTo(expected[i].dLoss, 5);
      expect(row.gLoss).toBeCloseTo(expected[i].gLoss, 5);
      expect(row.dReal).toBeCloseTo(expected[i].dReal, 5);
    }
  });

  it('should checkpoint, log and render grids on schedule, keeping the last K plus every Nth', async () => {
    const dir = await tinyMnistProject();
    const trainer = Trainer.open(Project.open(dir), backend);
    await trainer.run({ untilStep: 18 }, never);
    trainer.dispose();
    // checkpointEvery 4, keepLast 2, keepEvery 2 -> pinned 8, 16; last two 16, 18 (final).
    expect(checkpointSteps(dir)).toEqual([8, 16, 18]);
    expect(
      Project.open(dir)
        .metrics()
        .map((r) => r.step),
    ).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(
      Project.open(dir)
        .sampleGrids()
        .map((g) => g.step),
    ).toEqual([0, 5, 10, 15, 18]);
  });

  it('should stop cleanly on request with a checkpoint at the step reached', async () => {
    const dir = await tinyMnistProject();
    const trainer = Trainer.open(Project.open(dir), backend);
    let steps = 0;
    const status = await trainer.run(
      { untilStep: 1000 },
      { stopRequested: () => steps >= 3, whilePaused: async () => undefined },
      { onMetrics: () => steps++ },
    );
    trainer.dispose();
    expect(status.step).toBe(3);
    expect(status.state).toBe('idle');
    expect(checkpointSteps(dir).at(-1)).toBe(3);
  });

  it('should drop history written after the last checkpoint when a killed run is reopened', async () => {
    const dir = await tinyMnistProject();
    const trainer = Trainer.open(Project.open(dir), backend);
    await trainer.run({ untilStep: 4 }, never);
    // Simulate a crash: steps 5-6 trained and logged, but no checkpoint written.
    await trainer.runStep();
    await trainer.runStep();
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ step: 5 }) + '\n{"step": 6, "dLo');
    trainer.dispose();
    const reopened = Trainer.open(Project.open(dir), backend);
    expect(reopened.step).toBe(4);
    expect(Project.open(dir).metrics().at(-1)!.step).toBe(4);
    reopened.dispose();
    // Dropped from the history, not from the disk: the rows are kept under rolled-back/.
    const [aside] = fs.readdirSync(path.join(dir, 'rolled-back'));
    const keptAside = fs.readFileSync(path.join(dir, 'rolled-back', aside, 'metrics.jsonl'), 'utf8');
    expect(keptAside).toContain('"step":5');
  });

  it('should read untilStep as absolute and moreSteps and epochs as counted from where the project is', async () => {
    const project = await tinyMnist();
    const trainer = Trainer.open(project, backend);
    await trainer.run({ untilStep: 3 }, never);
    expect(trainer.step).toBe(3);
    expect(trainer.resolveTarget({ untilStep: 3 })).toBe(3);
    expect(trainer.resolveTarget({ moreSteps: 3 })).toBe(6);
    expect(trainer.resolveTarget({ epochs: 1 })).toBe(3 + project.stepsPerEpoch);
    expect(trainer.resolveTarget({})).toBe(Number.POSITIVE_INFINITY);
    const status = await trainer.run({ moreSteps: 2 }, never);
    expect(status).toMatchObject({ state: 'finished', step: 5, targetStep: 5 });
    trainer.dispose();
  });
});

describe('conditional DCGAN', () => {
  it('should train on MNIST labels and generate the class asked for', async () => {
    const dir = await tinyMnistProject({ conditional: true });
    expect(Project.open(dir).config.model.numClasses).toBe(10);
    const trainer = Trainer.open(Project.open(dir), backend);
    await trainer.run({ untilStep: 3 }, never);
    const { sampleBatch } = await import('../../src-main/engine/sampling/sampler');
    const { localDrawer } = await import('../../src-main/engine/sampling/local-drawer');
    const sevens = await sampleBatch(localDrawer(trainer.config.model, trainer.gan), trainer.config.model, 4, 1, 7);
    expect(sevens.labels).toEqual([7, 7, 7, 7]);
    const mixed = await sampleBatch(localDrawer(trainer.config.model, trainer.gan), trainer.config.model, 4, 1);
    expect(mixed.labels).toEqual([0, 1, 2, 3]);
    expect(mixed.pngBase64).not.toBe(sevens.pngBase64); // same z, other labels
    await expect(sampleBatch(localDrawer(trainer.config.model, trainer.gan), trainer.config.model, 1, 1, 10)).rejects.toThrow(
      /Class 10 does not exist/,
    );
    trainer.dispose();
  });
});
