/** Test helpers: small real projects on the bundled MNIST, in temp folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject, DEFAULT_HYPER } from '../../src-main/engine/project/create';
import { defaultModelConfig } from '../../src-main/engine/models/architecture';
import { Project } from '../../src-main/engine/project/project';
import { PROJECT_SCHEMA_VERSION } from '../../src-main/engine/project/schema';
import type { ModelConfig } from '../../src-main/shared/types';

export function tempDir(prefix = 'ganvas-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A tiny MNIST DCGAN (ngf = ndf = 8, batch 16): real data and real code, a few ms per step. Returns its folder. */
export async function tinyMnistProject(overrides: Partial<Parameters<typeof createProject>[0]> = {}): Promise<string> {
  const dir = path.join(tempDir(), 'project');
  await createProject({
    dir,
    dataset: { kind: 'mnist' },
    ngf: 8,
    ndf: 8,
    zDim: 16,
    batchSize: 16,
    seed: 42,
    hyper: { logEvery: 1, sampleEvery: 5, checkpointEvery: 4, keepLast: 2, keepEvery: 2 },
    ...overrides,
  });
  return dir;
}

/** The same tiny project, opened (what engine functions take). */
export async function tinyMnist(overrides: Partial<Parameters<typeof createProject>[0]> = {}): Promise<Project> {
  return Project.open(await tinyMnistProject(overrides));
}

/**
 * A project folder holding only project.json, around a hand-built model: for code that needs a
 * project's config but never its data (dispatch, generated samples). No dataset import, no tfjs.
 */
export function bareProject(model: Partial<ModelConfig> = {}, seed = 1): Project {
  const config = defaultModelConfig({ ngf: 8, ndf: 8, zDim: 8, ...model });
  const classes = Array.from({ length: Math.max(config.numClasses, 10) }, (_, i) => String(i));
  return Project.write(tempDir('ganvas-bare-'), {
    schemaVersion: PROJECT_SCHEMA_VERSION,
    name: 'bare',
    createdAt: new Date().toISOString(),
    model: config,
    train: { ...DEFAULT_HYPER, seed },
    dataset: { source: { kind: 'mnist' }, count: 0, size: config.size, channels: config.channels, classes },
  });
}
