/**
 * The invert tasks as a compute host runs them: progress events with a live preview, cancel
 * between chunks (nothing returned, nothing leaked), a gallery sample's render as the image,
 * direction frames, and saved directions (directions.json) with their one-line errors.
 */
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import type { TaskContext } from '../../src-main/engine/handler-types';
import { invertTasks } from '../../src-main/engine/invert/tasks';
import { saveSample } from '../../src-main/engine/latent/gallery';
import { deleteDirection, readDirections, saveDirection } from '../../src-main/engine/latent/saved-directions';
import { clearModelCache } from '../../src-main/engine/project/models';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { AnalysisProgress, BackendReport } from '../../src-main/shared/types';
import { tinyMnistProject } from '../helpers/projects';

let backend: BackendReport;
let dir: string;

beforeAll(async () => {
  backend = await selectBackend('wasm');
  dir = await tinyMnistProject();
  const trainer = Trainer.open(Project.open(dir), backend);
  await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
});

/** A task context that records 'invert.progress' and may cancel on one. */
function context(onProgress: (p: AnalysisProgress, abort: () => void) => void = () => undefined): {
  ctx: TaskContext;
  events: AnalysisProgress[];
} {
  const controller = new AbortController();
  const events: AnalysisProgress[] = [];
  const ctx: TaskContext = {
    emit: (event, payload) => {
      if (event !== 'invert.progress') return;
      events.push(payload as AnalysisProgress);
      onProgress(payload as AnalysisProgress, () => controller.abort());
    },
    signal: controller.signal,
    backend,
    useBackend: async () => backend,
    drawOn: async () => backend,
    drawer: (project, gan) => localDrawer(project.config.model, gan),
  };
  return { ctx, events };
}

describe('invertImage', () => {
  it('should report progress with the best error so far and project a gallery sample close to its own render', async () => {
    const project = Project.open(dir);
    project.ganAt(); // loaded once, as sampling leaves it
    const tensors = tf.memory().numTensors;
    const sample = saveSample(project, { z: Array.from({ length: 16 }, (_, i) => Math.sin(i)), label: null, name: 'wave' });
    const { ctx, events } = context();
    const r = await invertTasks.invertImage(
      project,
      { image: { kind: 'sample', id: sample.id }, steps: 150, restarts: 3, seed: 1, id: 'p1' },
      ctx,
    );
    expect(r.sourceName).toBe('wave');
    expect(r.step).toBe(4);
    // G's own image: a close match (a real digit on this 4-step model is nowhere near).
    expect(r.pixelError).toBeLessThan(0.05);
    expect(r.restarts).toHaveLength(3);
    expect(r.animation.length).toBeGreaterThan(1);
    const optimise = events.filter((e) => e.phase === 'optimise');
    expect(optimise.length).toBeGreaterThan(0);
    expect(optimise.every((e) => e.id === 'p1' && e.kind === 'projection' && e.total === 150 && Number.isFinite(e.value))).toBe(true);
    expect(optimise.some((e) => e.previewPng)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done', value: r.pixelError });
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('should stop at the next chunk once cancelled, answer cancelled and leak nothing', async () => {
    const project = Project.open(dir);
    project.ganAt();
    const tensors = tf.memory().numTensors;
    const { ctx, events } = context((p, abort) => p.phase === 'optimise' && abort());
    const run = invertTasks.invertImage(project, { image: { kind: 'dataset', index: 7 }, steps: 5000, restarts: 2, id: 'p2' }, ctx);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(events.filter((e) => e.phase === 'optimise')).toHaveLength(1);
    expect(events.at(-1)!.done).toBeLessThan(5000);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('should run every step when early stopping is off', async () => {
    const { ctx } = context();
    const r = await invertTasks.invertImage(
      Project.open(dir),
      { image: { kind: 'dataset', index: 2 }, steps: 90, restarts: 1, earlyStop: false },
      ctx,
    );
    expect([r.steps, r.stopped]).toEqual([90, 'steps']);
  });

  it('should refuse a dataset image that does not exist and bytes that are no image, in one line', async () => {
    const project = Project.open(dir);
    const { ctx } = context();
    await expect(invertTasks.invertImage(project, { image: { kind: 'dataset', index: 10_000_000 } }, ctx)).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^The dataset has images 0\.\.\d+; there is no image 10000000$/),
    });
    await expect(
      invertTasks.invertImage(project, { image: { kind: 'bytes', name: 'x.png', base64: 'aGVsbG8=' } }, ctx),
    ).rejects.toMatchObject({
      code: 'invalid',
    });
  });
});

describe('directions', () => {
  it('should discover directions with progress, render frames along them, and keep saved ones unit-length', async () => {
    const project = Project.open(dir);
    const { ctx, events } = context();
    const found = await invertTasks.directionsDiscover(project, { count: 3, samples: 100, seed: 2, id: 'd1' }, ctx);
    expect(found.directions.map((d) => d.rank)).toEqual([1, 2, 3]);
    expect(events.some((e) => e.kind === 'directions' && e.phase !== 'done')).toBe(true);

    const base = { z: Array.from({ length: 16 }, () => 0.1), label: null };
    const vectors = found.directions.map((d) => d.vector);
    const frames = await invertTasks.directionFrames(
      project,
      {
        base,
        vectors,
        amounts: [
          [0, 0, 0],
          [2, 0, -1],
        ],
      },
      context().ctx,
    );
    expect(frames.frames[0].z).toEqual(base.z.map((v) => Math.fround(v)));
    const moved = frames.frames[1].z;
    moved.forEach((v, d) => expect(v).toBeCloseTo(0.1 + 2 * vectors[0][d] - vectors[2][d], 5));
    expect(frames.frames[0].pngBase64).not.toBe(frames.frames[1].pngBase64);
    await expect(invertTasks.directionFrames(project, { base, vectors, amounts: [[1]] }, context().ctx)).rejects.toMatchObject({
      message: 'Each frame needs one amount per direction (3)',
    });

    const saved = saveDirection(project, { name: ' PC1 ', vector: found.directions[0].vector.map((v) => 3 * v) });
    expect(saved.name).toBe('PC1');
    expect(Math.hypot(...saved.vector)).toBeCloseTo(1, 10);
    expect(readDirections(Project.open(dir)).map((d) => d.id)).toEqual([saved.id]);
    expect(() => saveDirection(project, { name: 'short', vector: [1, 2] })).toThrow("This direction has 2 numbers; the model's z has 16");
    expect(() => saveDirection(project, { name: 'zero', vector: new Array(16).fill(0) })).toThrow('A direction cannot be all zeros');
    expect(deleteDirection(project, saved.id)).toEqual([]);
    expect(() => deleteDirection(project, saved.id)).toThrow(/No saved direction with id/);
    clearModelCache();
  });
});
