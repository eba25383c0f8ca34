/**
 * The Project object: opened once per call, it knows its folder, its parsed config, where every
 * file lives (layout.ts), moves history aside on a roll-back, and is the one way to load a model.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { ProjectFiles, stepOfFile } from '../../src-main/engine/project/layout';
import { clearModelCache } from '../../src-main/engine/project/models';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport } from '../../src-main/shared/types';
import { tinyMnistProject } from '../helpers/projects';

let backend: BackendReport;
const never = { stopRequested: () => false, whilePaused: async () => undefined };

async function train(dir: string, untilStep: number): Promise<void> {
  const trainer = Trainer.open(Project.open(dir), backend);
  await trainer.run({ untilStep }, never);
  trainer.dispose();
}

/** Every file under `dir`: relative path -> SHA-256 of its bytes (dataset.bin is 47 MB: compare digests, not buffers). */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, abs), createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
  }
  return out;
}

/** A G weight as numbers, to tell two loaded models apart. */
const firstWeights = (gan: ReturnType<Project['ganAt']>) => Array.from(gan.G.params.get('g1.w')!.dataSync().slice(0, 8));

/** An untrained project the read-only tests share. */
let fresh: string;

beforeAll(async () => {
  backend = await selectBackend('wasm');
  fresh = await tinyMnistProject({ name: 'digits' });
});

describe('Project.open', () => {
  it('should resolve the folder, parse project.json once and derive epochs from it', async () => {
    const relative = path.relative(process.cwd(), fresh);
    const project = Project.open(relative);
    expect(project.dir).toBe(fresh);
    expect(project.name).toBe('digits');
    expect(project.config.model).toMatchObject({ size: 28, channels: 1, zDim: 16, ngf: 8, ndf: 8 });
    expect(project.stepsPerEpoch).toBe(Math.floor(project.config.dataset.count / 16));
    expect(project.epochAt(project.stepsPerEpoch * 2)).toBe(2);
    expect(project.latestStep()).toBe(0);
    expect(project.checkpoints()).toEqual([]);
  });

  it('should refuse a damaged project.json with the file named', async () => {
    const dir = await tinyMnistProject();
    fs.writeFileSync(path.join(dir, 'project.json'), '{ "schemaVersion": 1, "name": ');
    expect(() => Project.open(dir)).toThrow(
      expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/project\.json is not valid JSON/) }),
    );
  });
});

describe('project layout', () => {
  it('should name every file of a project in one place, under the project folder', () => {
    const dir = fresh;
    const { files } = Project.open(dir);
    expect(files.config).toBe(path.join(dir, 'project.json'));
    expect(files.dataset).toBe(path.join(dir, 'dataset.bin'));
    expect(fs.existsSync(files.config) && fs.existsSync(files.dataset)).toBe(true);
    expect(files.checkpoint(400)).toBe(path.join(dir, 'checkpoints', 'step-00000400.ckpt'));
    expect(files.sample(5)).toBe(path.join(dir, 'samples', 'step-00000005.png'));
    expect(files.metrics).toBe(path.join(dir, 'metrics.jsonl'));
    expect(files.importReport).toBe(path.join(dir, 'import-report.json'));
    expect(files.gallery).toBe(path.join(dir, 'gallery.json'));
    expect(files.concepts).toBe(path.join(dir, 'concepts.json'));
    expect(files.forgetAnnotations).toBe(path.join(dir, 'inspect', 'forget.json'));
    expect(files.eval('quality.json')).toBe(path.join(dir, 'eval', 'quality.json'));
    expect(files.rolledBack(new Date('2026-03-04T05:06:07.089Z'))).toBe(path.join(dir, 'rolled-back', '2026-03-04T05-06-07-089Z'));
  });

  it('should read steps back only from real checkpoint and grid names, never from temp files', () => {
    const files = new ProjectFiles('/p');
    expect(stepOfFile(path.basename(files.checkpoint(1234)), 'ckpt')).toBe(1234);
    expect(stepOfFile(path.basename(files.sample(7)), 'png')).toBe(7);
    expect(stepOfFile('.tmp-123-step-00000800.ckpt', 'ckpt')).toBeNull();
    expect(stepOfFile('step-00000800.ckpt', 'png')).toBeNull();
    expect(stepOfFile('step-00000800.ckpt.bak', 'ckpt')).toBeNull();
  });
});

describe('rollbackTo', () => {
  it('should move every later file aside and never delete a byte', async () => {
    const dir = await tinyMnistProject();
    await train(dir, 12); // checkpoints 8 (pinned) and 12 (keep last 2); grids 0, 5, 10, 12; metrics 1..12
    const project = Project.open(dir);
    expect(project.checkpointSteps()).toEqual([8, 12]);
    const before = filesUnder(dir);
    const metricsBefore = project.metrics();

    project.rollbackTo(8);

    expect(project.checkpointSteps()).toEqual([8]);
    expect(project.sampleGrids().map((g) => g.step)).toEqual([0, 5]);
    expect(project.metrics().map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const after = filesUnder(dir);
    const [aside] = fs.readdirSync(path.join(dir, 'rolled-back'));
    for (const [rel, digest] of before) {
      if (rel === 'metrics.jsonl') continue; // rewritten: checked row by row below
      const kept = after.get(rel) ?? after.get(path.join('rolled-back', aside, rel));
      expect(kept, rel).toBe(digest);
    }
    const movedRows = fs
      .readFileSync(path.join(dir, 'rolled-back', aside, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: number });
    expect([...project.metrics(), ...movedRows]).toEqual(metricsBefore);
  });

  it('should move nothing when rolling back to the newest checkpoint', async () => {
    const dir = await tinyMnistProject();
    await train(dir, 4);
    const before = filesUnder(dir);
    Project.open(dir).rollbackTo(4);
    expect(filesUnder(dir)).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'rolled-back'))).toBe(false);
  });

  it('should refuse a step without a checkpoint, with code not-found, and change nothing', async () => {
    const dir = await tinyMnistProject();
    await train(dir, 8);
    const before = filesUnder(dir);
    expect(() => Project.open(dir).rollbackTo(6)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(filesUnder(dir)).toEqual(before);
  });
});

describe('ganAt', () => {
  it('should return the same loaded model for the same step, and reload when a newer checkpoint is asked for', async () => {
    const dir = await tinyMnistProject();
    await train(dir, 4);
    clearModelCache();
    const baseline = tf.memory().numTensors;

    const latest = Project.open(dir).ganAt();
    expect(latest.step).toBe(4);
    expect(Project.open(dir).ganAt()).toBe(latest); // another call, another Project: same model
    expect(Project.open(dir).ganAt(4)).toBe(latest);
    const loadedTensors = tf.memory().numTensors - baseline;
    expect(loadedTensors).toBeGreaterThan(0);

    await train(dir, 8);
    const beforeReload = tf.memory().numTensors;
    const newer = Project.open(dir).ganAt();
    expect(newer).not.toBe(latest);
    expect(newer.step).toBe(8);
    expect(firstWeights(newer)).not.toEqual(Array.from(Project.open(dir).readCheckpoint(4).tensors.get('G/g1.w')!.values.slice(0, 8)));
    expect(firstWeights(newer)).toEqual(Array.from(Project.open(dir).readCheckpoint(8).tensors.get('G/g1.w')!.values.slice(0, 8)));
    // The replaced model was freed: one model's tensors in memory, not two.
    expect(tf.memory().numTensors).toBe(beforeReload);

    clearModelCache();
    expect(tf.memory().numTensors).toBe(beforeReload - loadedTensors);
  });

  it('should load the seeded initial weights at step 0 and refuse a step without a checkpoint', () => {
    const project = Project.open(fresh);
    const initial = project.ganAt();
    expect(initial.step).toBe(0);
    expect(() => project.ganAt(4)).toThrow(expect.objectContaining({ code: 'not-found' }));
    clearModelCache();
  });

  it('should free a borrowed model after withGanAt, even when the callback throws', async () => {
    const dir = await tinyMnistProject();
    await train(dir, 4);
    const project = Project.open(dir);
    const before = tf.memory().numTensors;
    const step = await project.withGanAt(4, async (gan) => gan.step);
    expect(step).toBe(4);
    await expect(
      project.withGanAt(4, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
  });
});
