/**
 * The latent tasks as a compute host runs them, next to other requests: an export that yields
 * between chunks must survive a request that loads a newer checkpoint meanwhile (a run training
 * in another host writes one; the next sampling call replaces the project's shared model).
 */
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import type { TaskContext } from '../../src-main/engine/handler-types';
import { latentTasks } from '../../src-main/engine/latent/tasks';
import { clearModelCache } from '../../src-main/engine/project/models';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { BackendReport, ExportProgress } from '../../src-main/shared/types';
import { tempDir, tinyMnistProject } from '../helpers/projects';

let backend: BackendReport;
let dir: string;

beforeAll(async () => {
  backend = await selectBackend('wasm');
  dir = await tinyMnistProject();
  const trainer = Trainer.open(Project.open(dir), backend);
  await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
});

function taskContext(onProgress: (p: ExportProgress) => void): TaskContext {
  return {
    emit: (event, payload) => {
      if (event === 'export.progress') onProgress(payload as ExportProgress);
    },
    signal: new AbortController().signal,
    backend,
    useBackend: async () => backend,
    drawOn: async () => backend,
    drawer: (project, gan) => localDrawer(project.config.model, gan),
  };
}

describe('exportWalk', () => {
  it('should finish when a newer checkpoint replaces the shared model mid-export, and leak nothing', async () => {
    clearModelCache();
    const shared = Project.open(dir).ganAt(); // what sampling and walk previews left loaded
    expect(shared.step).toBe(4);
    const tensors = tf.memory().numTensors;
    const out = path.join(tempDir(), 'walk.png');
    let replaced: number | null = null;
    const ctx = taskContext((p) => {
      if (p.phase !== 'render' || replaced !== null) return;
      // Mid-export: "training" writes step 8, and a sampling request loads it (freeing step 4's model).
      const project = Project.open(dir);
      const { header, tensors: saved } = project.readCheckpoint(4);
      project.writeCheckpoint({ step: 8, epoch: header.epoch, createdAt: header.createdAt, adamSteps: header.adamSteps }, [
        ...saved.values(),
      ]);
      replaced = Project.open(dir).ganAt().step;
    });
    const result = await latentTasks.exportWalk(
      Project.open(dir),
      {
        spec: { kind: 'sweep', start: { kind: 'seed', seed: 3 }, dim: 0, range: [-2, 2], frames: 40 },
        options: { format: 'png-strip', out, fps: 12, scale: 1 },
        id: 'mid',
      },
      ctx,
    );
    expect(replaced).toBe(8);
    expect(result.frames).toBe(40);
    const png = PNG.sync.read(fs.readFileSync(out));
    expect([png.width, png.height]).toEqual([40 * (28 + 2) + 2, 28 + 4]); // 40 frames in a row, 2 px apart
    expect([png.width, png.height]).toEqual([result.width, result.height]);
    // The export's own copy was freed; the cache holds one model (step 8's) in place of step 4's.
    expect(tf.memory().numTensors).toBe(tensors);
    clearModelCache();
  });
});
