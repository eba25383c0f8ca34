/**
 * Pulling the plug: a training process killed with SIGKILL at random moments (mid-step,
 * mid-checkpoint, mid-grid) leaves a project that opens and resumes within one checkpoint
 * interval of where it was, every time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject } from '../../src-main/engine/project/create';
import { Project } from '../../src-main/engine/project/project';
import { Rng } from '../../src-main/engine/util/rng';

const root = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-kill-'));
const dir = path.join(work, 'project');
const INTERVAL = 3;
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

beforeAll(async () => {
  await createProject({
    dir,
    dataset: { kind: 'mnist' },
    ngf: 8,
    ndf: 8,
    zDim: 8,
    batchSize: 16,
    seed: 9,
    hyper: { logEvery: 1, sampleEvery: 2, checkpointEvery: INTERVAL, keepLast: 3, keepEvery: 0 },
  });
});

/** Starts `ganvas train` and SIGKILLs it once it has logged `rows` steps (plus a random sub-step delay). */
function trainAndKill(rows: number, extraMs: number): Promise<{ logged: number[]; resumedFrom: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/index.ts', 'train', dir, '--steps', '100000', '--json'], { cwd: root });
    const logged: number[] = [];
    let err = '';
    let killing = false;
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line).step as number);
      if (!killing && logged.length >= rows) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`train ended by itself: ${err}`));
      const resumed = /Resuming from step (\d+)/.exec(err);
      resolve({ logged, resumedFrom: resumed ? Number(resumed[1]) : null });
    });
  });
}

describe('killing a training process', () => {
  it('should leave a project that opens and resumes within one checkpoint interval, five times over', async () => {
    const rng = new Rng(2026);
    let lastCheckpoint = 0;
    for (let round = 0; round < 5; round++) {
      const { logged, resumedFrom } = await trainAndKill(1 + Math.floor(rng.next() * 6), Math.floor(rng.next() * 150));
      // It resumed from where the previous kill left the project...
      expect(resumedFrom ?? 0).toBe(lastCheckpoint);
      expect(logged[0]).toBe(lastCheckpoint + 1);
      // ...and this kill lost at most one interval of what it had logged.
      const project = Project.open(dir);
      lastCheckpoint = project.latestStep();
      expect(logged.at(-1)! - lastCheckpoint).toBeLessThanOrEqual(INTERVAL);
      expect(project.readCheckpoint(lastCheckpoint).header.step).toBe(lastCheckpoint);
      expect(project.summary().step).toBe(lastCheckpoint);
    }
    expect(lastCheckpoint).toBeGreaterThan(0);
  });
});
