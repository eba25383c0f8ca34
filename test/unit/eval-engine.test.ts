/**
 * The evaluations end to end on a tiny trained MNIST project: in-process for the numbers, and
 * through the engine API (inference worker process) for progress events and cancelling.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { labelsMissing } from '../../src-main/engine/eval/dataset';
import { evaluateFeatures, resolveLabelCounts } from '../../src-main/engine/eval/feature-eval';
import { evaluateMemorisation } from '../../src-main/engine/eval/memorisation';
import { evaluateQuality } from '../../src-main/engine/eval/quality';
import { readFeatureRuns, readMemorisationRows, readQualityRows } from '../../src-main/engine/eval/store';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { GanvasError } from '../../src-main/shared/errors';
import type { EvalProgress } from '../../src-main/shared/types/eval';
import { tinyMnistProject, tempDir } from '../helpers/projects';

let project: Project;

beforeAll(async () => {
  const backend = await selectBackend('wasm');
  const folder = await tinyMnistProject(); // checkpoints every 4 steps, the last 2 kept
  const trainer = Trainer.open(Project.open(folder), backend);
  await trainer.run({ untilStep: 8 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
  project = Project.open(folder);
});

describe('classification with D features (paper Sec. 5.1)', () => {
  it('should report test accuracy per N for trained D, random D and pixels on one balanced split, reproducibly', async () => {
    const before = tf.memory().numTensors;
    const run = () => evaluateFeatures(project, { labels: [20, 50], testSize: 100 });
    const a = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(a.step).toBe(8);
    expect(a.methods.map((m) => m.method)).toEqual(['trained-d', 'random-d', 'pixels']);
    expect(a.methods.map((m) => m.dim)).toEqual([16 * 8 + 16 * 16, 16 * 8 + 16 * 16, 784]);
    expect(a.rows.map((r) => r.n)).toEqual([20, 50]);
    expect(a.rows[0].perClass).toEqual(new Array(10).fill(2));
    expect(a.rows[1].perClass).toEqual(new Array(10).fill(5));
    for (const row of a.rows) {
      for (const r of row.results) {
        expect(r.accuracy).toBeGreaterThan(0.2); // well above 10% chance even with 2 digits per class
        expect(r.accuracy).toBeLessThanOrEqual(1);
      }
    }
    const b = await run();
    expect(b.rows).toEqual(a.rows);
    expect(readFeatureRuns(project).length).toBe(2);
  });

  it("should read 'all' as the whole pool up to 10,000 and sort and dedupe N", () => {
    expect(resolveLabelCounts([1000, 'all', 100, 100], 60_000, 10)).toEqual([100, 1000, 10_000]);
    expect(resolveLabelCounts(['all', 500], 300, 10)).toEqual([300]);
    // 64x64 paper net: 15,360 features per image; 'all' stops where the features fill 512 MB.
    expect(resolveLabelCounts(['all'], 60_000, 10, 15_360)).toEqual([8738]);
  });

  it('should refuse N smaller than the number of classes and say why labels are needed', async () => {
    await expect(evaluateFeatures(project, { labels: [5] })).rejects.toThrow(/fewer than one per class/);
    const { config } = project;
    expect(labelsMissing(config)).toBeNull();
    expect(labelsMissing({ ...config, dataset: { ...config.dataset, classes: [] } })).toMatch(/no class labels/);
  });
});

describe('quality score (Fréchet distance in the project classifier features)', () => {
  it('should score every checkpoint once, far above the real-vs-real floor, and only new ones later', async () => {
    const first = await evaluateQuality(project, { steps: 'all', nReal: 200, nFake: 200, classifierSteps: 40 });
    expect(first.evaluated).toEqual([4, 8]);
    expect(first.classifier.testAccuracy).toBeGreaterThan(0.1);
    expect(first.classifier.id).toMatch(/^ganvas-cnn-v1-[0-9a-f]{8}$/);
    for (const row of first.rows) {
      expect(row.nReal).toBe(200);
      expect(row.nFake).toBe(200);
      expect(row.fd).toBeCloseTo(row.meanTerm + row.covTerm, 8);
      expect(row.fd).toBeGreaterThan(5 * row.realFloor); // 8 steps of training: nowhere near real data
    }
    expect(fs.existsSync(path.join(project.dir, 'eval', 'fd-classifier.json'))).toBe(true);

    const again = await evaluateQuality(project, { nReal: 200, nFake: 200 });
    expect(again.evaluated).toEqual([]); // 'new' by default: nothing left to score
    expect(again.classifier.id).toBe(first.classifier.id);
    const rescored = await evaluateQuality(project, { steps: [8], nReal: 200, nFake: 200 });
    expect(rescored.rows.find((r) => r.step === 8)!.fd).toBe(first.rows.find((r) => r.step === 8)!.fd);
    expect(readQualityRows(project).map((r) => r.step)).toEqual([4, 8]);
  });
});

describe('memorisation check', () => {
  it('should log nearest-neighbour distances per checkpoint and return the nearest training images of the last', async () => {
    const result = await evaluateMemorisation(project, { steps: 'all', samples: 16, reference: 300, show: 2, neighbours: 2 });
    expect(result.rows.map((r) => r.step)).toEqual([4, 8]);
    expect(result.examplesStep).toBe(8);
    expect(result.examples).toHaveLength(2);
    for (const ex of result.examples) {
      for (const list of [ex.byPixel, ex.byDFeature]) {
        expect(list).toHaveLength(2);
        expect(list[0].distance).toBeLessThanOrEqual(list[1].distance);
        expect(Buffer.from(list[0].pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
      }
    }
    const row = result.rows[1];
    expect(row.reference).toBe(300);
    expect(row.samples).toBe(16);
    expect(row.pixel.p10).toBeLessThanOrEqual(row.pixel.median);
    expect(row.pixel.median).toBeLessThanOrEqual(row.pixel.p90);
    expect(row.pixel.min).toBeCloseTo(Math.min(...result.examples.map((e) => e.byPixel[0].distance), row.pixel.min), 9);
    // Held-out real digits are much closer to some training digit than 8-step blobs are.
    expect(row.realPixel.median).toBeLessThan(row.pixel.median);
    expect(row.nearCopyRate).toBe(0);
    expect(readMemorisationRows(project).map((r) => r.step)).toEqual([4, 8]);
  });
});

describe('evaluation through the engine API (inference worker)', () => {
  let engine: EngineHost;
  let apiDir: string;
  beforeAll(async () => {
    engine = createEngine({ stateDir: tempDir('ganvas-state-') });
    apiDir = await tinyMnistProject();
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it('should stream eval.progress events and log the result', async () => {
    const logs = await engine.api.evalLogs({ dir: apiDir });
    expect(logs).toMatchObject({ labelsMissing: null, features: [], quality: [], memorisation: [], classifier: null });
    const events: EvalProgress[] = [];
    const off = engine.on('eval.progress', (p) => events.push(p));
    const result = await engine.api.evalMemorisation({ dir: apiDir, samples: 8, reference: 100, show: 1 });
    off();
    expect(result.rows.map((r) => r.step)).toEqual([0]); // untrained project: the initial weights
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.kind === 'memorisation' && e.dir === path.resolve(apiDir))).toBe(true);
    expect((await engine.api.evalLogs({ dir: apiDir })).memorisation).toHaveLength(1);
  });

  it('should cancel a running evaluation and refuse a second one meanwhile', async () => {
    const started = new Promise<void>((resolve) => {
      const off = engine.on('eval.progress', (p) => {
        if (p.kind === 'quality') {
          off();
          resolve();
        }
      });
    });
    const running = engine.api.evalQuality({ dir: apiDir, classifierSteps: 20_000 });
    const outcome = running.then(
      () => 'finished',
      (err: GanvasError) => `${err.code}: ${err.message}`,
    );
    await started;
    await expect(engine.api.evalFeatures({ dir: apiDir, labels: [100] })).rejects.toThrow(
      expect.objectContaining({ code: 'busy', message: expect.stringMatching(/already running/) }),
    );
    expect(await engine.api.evalCancel({ dir: apiDir })).toBe(true);
    expect(await outcome).toMatch(/^cancelled: .*cancelled/);
    expect(await engine.api.evalCancel({ dir: apiDir })).toBe(false);
    expect((await engine.api.evalLogs({ dir: apiDir })).classifier).toBeNull(); // nothing half-trained was saved
  });
});
