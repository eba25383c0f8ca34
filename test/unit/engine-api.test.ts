import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import type { TrainingStatus } from '../../src-main/shared/types';
import { tempDir } from '../helpers/projects';

let engine: EngineHost;
let dir: string;
const statuses: TrainingStatus[] = [];

function waitForState(state: TrainingStatus['state'], timeoutMs = 60_000): Promise<TrainingStatus> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${state}' status within ${timeoutMs} ms`)), timeoutMs);
    const off = engine.on('training.status', (s) => {
      if (s.state === state) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
  });
}

beforeAll(async () => {
  engine = createEngine({ stateDir: tempDir('ganvas-state-') });
  engine.on('training.status', (s) => statuses.push(s));
  dir = path.join(tempDir(), 'api-project');
  await engine.api.createProject({ dir, dataset: { kind: 'mnist' }, ngf: 8, ndf: 8, zDim: 16, batchSize: 16, seed: 5 });
});

afterAll(async () => {
  await engine.dispose();
});

describe('engine API (training in a worker process)', () => {
  it('should reject an invalid payload with a readable message', async () => {
    await expect(engine.api.startTraining({ dir: '' })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/Invalid startTraining request: dir: a project folder is required/) }),
    );
    await expect(engine.api.openProject({ dir: '/nonexistent/x' })).rejects.toThrow(
      expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/does not exist/) }),
    );
  });

  it('should list the new project as recent and report it untrained', async () => {
    expect((await engine.api.recentProjects({})).map((p) => p.dir)).toContain(path.resolve(dir));
    expect((await engine.api.trainingStatus({ dir })).state).toBe('idle');
  });

  it('should train to the target step in the worker and stream metrics and grids', async () => {
    const rows: number[] = [];
    const off = engine.on('training.metrics', (m) => rows.push(...m.rows.map((r) => r.step)));
    const finished = waitForState('finished');
    const started = await engine.api.startTraining({ dir, untilStep: 10 });
    expect(['starting', 'running']).toContain(started.state);
    const final = await finished;
    off();
    expect(final.step).toBe(10);
    expect(rows.at(-1)).toBe(10);
    expect((await engine.api.metrics({ dir })).at(-1)!.step).toBe(10);
    expect((await engine.api.checkpoints({ dir })).at(-1)!.step).toBe(10);
    const grids = await engine.api.sampleGrids({ dir });
    expect(grids[0].step).toBe(0);
    expect(grids.at(-1)!.step).toBe(10);
    const png = Buffer.from(await engine.api.sampleGridImage({ dir, step: 10 }), 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('should pause, resume and stop a run, keeping a checkpoint at the step reached', async () => {
    const paused = waitForState('paused');
    await engine.api.startTraining({ dir, untilStep: 100_000 });
    await engine.api.pauseTraining({ dir });
    const p = await paused;
    await new Promise((r) => setTimeout(r, 300));
    expect((await engine.api.trainingStatus({ dir })).step).toBe(p.step); // no progress while paused
    await engine.api.resumeTraining({ dir });
    await new Promise((r) => setTimeout(r, 500));
    const final = await engine.api.stopTraining({ dir });
    expect(final.step).toBeGreaterThan(p.step);
    expect((await engine.api.checkpoints({ dir })).at(-1)!.step).toBe(final.step);
    expect((await engine.api.trainingStatus({ dir })).state).toBe('idle');
  });

  it('should generate the same samples for the same seed, and others for another seed', async () => {
    const a = await engine.api.generate({ dir, count: 4, seed: 11 });
    const b = await engine.api.generate({ dir, count: 4, seed: 11 });
    const c = await engine.api.generate({ dir, count: 4, seed: 12 });
    expect(a.z).toHaveLength(4);
    expect(a.z[0]).toHaveLength(16);
    expect(b.pngBase64).toBe(a.pngBase64);
    expect(c.z[0]).not.toEqual(a.z[0]);
  });

  it('should roll back to a checkpoint, moving later history aside', async () => {
    const steps = (await engine.api.checkpoints({ dir })).map((c) => c.step);
    const target = steps[0];
    const summary = await engine.api.rollback({ dir, step: target });
    expect(summary.step).toBe(target);
    expect((await engine.api.metrics({ dir })).every((r) => r.step <= target)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'rolled-back')).length).toBe(1);
  });
});
