/** Test helpers: small real projects on the bundled MNIST, in temp folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject } from '../../src-main/engine/project/create';
import { Project } from '../../src-main/engine/project/project';

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
