/**
 * Run health wired into a project: scoring between training steps within its share of training
 * time, the best checkpoint kept from pruning and resolved as 'best', notices logged in
 * metrics.jsonl once, and the folder check the wizard shows. On a small image-folder project
 * (no labels), so the scores take milliseconds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { checkImageFolder } from '../../src-main/engine/data/checks-run';
import { HealthMonitor } from '../../src-main/engine/health/monitor';
import { checkpointStep, healthReport, recordScores } from '../../src-main/engine/health/report';
import { ProjectScorer } from '../../src-main/engine/health/scorer';
import { createProject } from '../../src-main/engine/project/create';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { HealthRecord, HealthUpdate } from '../../src-main/shared/types/health';
import { tempDir, writeImage } from '../fixtures/data-images';

const never = { stopRequested: () => false, whilePaused: async () => undefined };
let backend: Awaited<ReturnType<typeof selectBackend>>;
const folder = tempDir('ganvas-health-wire-');

/** 30 distinct grey 28x28 images and an exact copy of one. */
async function plantFolder(): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await writeImage(folder.path(`img${String(i).padStart(2, '0')}.png`), 28, 28, (x, y) => {
      const v = ((x * (i + 3) + y * ((i % 5) + 1)) * 7) % 256;
      return [v, v, v];
    });
  }
  fs.copyFileSync(folder.path('img07.png'), folder.path('img07-copy.png'));
}

async function folderProject(keepLast = 1): Promise<Project> {
  const dir = path.join(tempDir('ganvas-health-project-').dir, 'project');
  await createProject({
    dir,
    dataset: { kind: 'folder', path: folder.dir },
    size: 28,
    channels: 1,
    ngf: 8,
    ndf: 8,
    zDim: 16,
    batchSize: 8,
    seed: 3,
    hyper: { logEvery: 1, sampleEvery: 100, checkpointEvery: 2, keepLast, keepEvery: 0 },
  });
  return Project.open(dir);
}

/** A clock that moves 100 ms each time it is read: every turn of scoring and every stretch of training cost one tick. */
function tickingClock(): () => number {
  let t = 0;
  return () => (t += 100);
}

beforeAll(async () => {
  backend = await selectBackend('wasm');
  await plantFolder();
});
afterAll(() => folder.cleanup());

describe('run health in a project', () => {
  it('should score a checkpoint only in turns within its share of training time, and keep the best checkpoint from pruning', async () => {
    const project = await folderProject();
    const trainer = Trainer.open(project, backend);
    await trainer.run({ untilStep: 4 }, never);

    const tensorsBefore = tf.memory().numTensors;
    const updates: Omit<HealthUpdate, 'dir'>[] = [];
    const monitor = new HealthMonitor(project, { onUpdate: (u) => updates.push(u), share: 0.05, now: tickingClock() });
    monitor.checkpointWritten(4);
    let calls = 0;
    while (!updates.some((u) => u.records.length) && calls < 20_000) {
      await monitor.betweenSteps();
      calls++;
    }
    const scored = updates.flatMap((u) => u.records);
    expect(scored.map((r) => r.step)).toEqual([4]);
    // Within 5% of training time, plus at most the last turn (one chunk): never more.
    const { trainingMs, scoringMs, lastTurnMs, turns } = monitor.spent;
    expect(turns).toBeGreaterThan(1);
    expect(scoringMs).toBeLessThanOrEqual(0.05 * trainingMs + lastTurnMs);
    expect(monitor.keep()).toEqual([4]);
    expect(checkpointStep(project, 'best')).toBe(4);
    await monitor.close(); // frees the feature space and the real reference
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    // Pruning keeps the newest checkpoint (keepLast 1) and the best one.
    await trainer.run({ untilStep: 8 }, never, { keepCheckpoints: () => monitor.keep() });
    trainer.dispose();
    expect(project.checkpointSteps()).toEqual([4, 8]);
    expect(healthReport(project).unscored).toEqual([8]);
  });

  it('should log a new notice in metrics.jsonl once, keep it out of the metric rows, and skip the collapsed checkpoint as best', async () => {
    const project = await folderProject(5);
    const trainer = Trainer.open(project, backend);
    await trainer.run({ untilStep: 4 }, never);
    trainer.dispose();
    const record = (step: number, diversity: number): HealthRecord => ({
      step,
      space: 'planted',
      nReal: 31,
      nFake: 31,
      k: 3,
      fd: 10 - step,
      meanTerm: 1,
      covTerm: 1,
      realFloor: null,
      precision: 0.5,
      recall: 0.5,
      diversity,
      nearDuplicates: diversity < 0.1 ? 0.9 : 0,
      gridDrift: null,
      gridReturn: null,
      seconds: 1,
      time: new Date().toISOString(),
    });
    // Records of the project's space only count: store the space, then plant records in it.
    const scorer = ProjectScorer.open(project);
    const space = scorer.space.info.id;
    scorer.dispose();
    const planted = [record(2, 0.9), record(4, 0.02)].map((r) => ({ ...r, space }));

    const first = recordScores(project, planted);
    expect(first.notices.map((n) => n.kind)).toContain('mode-collapse');
    expect(recordScores(project, []).notices).toEqual([]);
    const report = healthReport(project);
    expect(report.events.filter((e) => e.kind === 'mode-collapse')).toHaveLength(1);
    expect(report.best?.step).toBe(2);
    expect(project.metrics().every((row) => typeof row.dLoss === 'number')).toBe(true);
    expect(project.metrics().map((row) => row.step)).toEqual([1, 2, 3, 4]);
  });

  it('should check a folder before a project exists, listing the planted copy with thumbnails', async () => {
    const { report, thumbnails } = await checkImageFolder(folder.dir, { size: 28, channels: 1, ngf: 8 });
    expect(report.images).toBe(31);
    expect(report.distinctImages).toBe(30);
    const exact = report.duplicateGroups.filter((g) => g.kind === 'exact');
    expect(exact).toEqual([expect.objectContaining({ files: ['img07-copy.png', 'img07.png'] })]);
    for (const file of exact[0].files) expect(Buffer.from(thumbnails[file], 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(report.findings.find((f) => f.kind === 'count')?.severity).toBe('critical');
  });

  it('should refuse a missing folder, a file and a folder without images with a one-line reason', async () => {
    const empty = tempDir('ganvas-health-empty-');
    const target = { size: 28 as const, channels: 1 as const, ngf: 8 };
    try {
      for (const [where, reason] of [
        [path.join(empty.dir, 'missing'), /^Image folder not found: /],
        [folder.path('img00.png'), /^Not a folder: /],
        [empty.dir, /^No images found in /],
      ] as const) {
        const refusal = checkImageFolder(where, target);
        await expect(refusal).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(reason) });
        await expect(refusal).rejects.toSatisfy((err: Error) => !err.message.includes('\n'));
      }
    } finally {
      empty.cleanup();
    }
  });
});
