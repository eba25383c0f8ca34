/**
 * No crash or full disk loses a project: writes are all-or-nothing, a damaged newest checkpoint
 * is set aside and the previous one used everywhere a model is loaded, and resuming or rolling
 * back moves history aside instead of deleting it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { writeFileAtomic } from '../../src-main/engine/project/atomic';
import { createProject } from '../../src-main/engine/project/create';
import { appendMetrics, readMetrics } from '../../src-main/engine/project/metrics';
import { Project } from '../../src-main/engine/project/project';
import { nodeFs, type SyncFs } from '../../src-main/engine/util/durable';
import { fromWire } from '../../src-main/shared/errors';
import type { MetricRow } from '../../src-main/shared/types';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-durable-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** node:fs, except that writes stop after `budget` bytes: short writes, then ENOSPC. */
function fullDiskFs(budget: number, mode: 'short' | 'enospc'): SyncFs {
  let left = budget;
  return {
    ...nodeFs,
    writeSync: (fd, buffer, offset, length, position) => {
      if (left <= 0) {
        if (mode === 'short') return 0;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      const n = Math.min(length, left, 4096);
      left -= n;
      return nodeFs.writeSync(fd, buffer, offset, n, position);
    },
  };
}

describe('writeFileAtomic', () => {
  const file = path.join(root, 'atomic', 'checkpoint.bin');
  const old = Buffer.alloc(20_000, 7);
  beforeAll(() => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, old);
  });

  it.each(['short', 'enospc'] as const)('should leave the old file intact and no temp file when the disk fills (%s writes)', (mode) => {
    const next = Buffer.alloc(20_000, 9);
    let error: unknown;
    try {
      writeFileAtomic(file, next, fullDiskFs(8192, mode));
    } catch (e) {
      error = e;
    }
    expect(fromWire(error).code).toBe('refused');
    expect(fromWire(error).message).toMatch(/^Not enough disk space to write checkpoint\.bin/);
    expect(fs.readFileSync(file).equals(old)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['checkpoint.bin']);
  });

  it('should write every byte through short writes', () => {
    const next = Buffer.alloc(20_000, 3);
    writeFileAtomic(file, next, fullDiskFs(1 << 30, 'short'));
    expect(fs.readFileSync(file).equals(next)).toBe(true);
  });

  it('should keep a private file private when it replaces it', () => {
    const secret = path.join(root, 'atomic', 'secret');
    fs.writeFileSync(secret, 'a', { mode: 0o600 });
    writeFileAtomic(secret, 'b');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
  });
});

describe('metrics.jsonl', () => {
  const row = (step: number): MetricRow => ({ step, epoch: 0, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 1, backend: 'cpu', time: 0 });
  it('should drop a torn last line instead of gluing the next row onto it', () => {
    const file = path.join(root, 'metrics.jsonl');
    appendMetrics(file, [row(1), row(2)]);
    fs.appendFileSync(file, '{"step":3,"epoch":0,"dLo'); // killed mid-append
    appendMetrics(file, [row(4)]);
    expect(readMetrics(file).map((r) => r.step)).toEqual([1, 2, 4]);
  });
});

describe('damaged checkpoints', () => {
  let dir: string;
  let engine: EngineHost;
  const steps = () => Project.open(dir).checkpointSteps();

  beforeAll(async () => {
    dir = path.join(root, 'project');
    await createProject({
      dir,
      dataset: { kind: 'mnist' },
      ngf: 8,
      ndf: 8,
      zDim: 8,
      batchSize: 16,
      seed: 5,
      hyper: { logEvery: 1, sampleEvery: 4, checkpointEvery: 4, keepLast: 10, keepEvery: 0 },
    });
    engine = createEngine({ stateDir: path.join(root, 'state'), channel: 'in-process' });
    const done = new Promise<void>((resolve) => engine.on('training.status', (s) => s.state === 'finished' && resolve()));
    await engine.api.startTraining({ dir, untilStep: 8 });
    await done;
  });
  afterAll(() => engine.dispose());

  it('should refuse a checkpoint whose header step is not its file name step, and never delete history for it', () => {
    const project = Project.open(dir);
    const file = project.files.checkpoint(8);
    const bytes = fs.readFileSync(file);
    const forged = Buffer.from(bytes.toString('latin1').replace('"step":8', '"step":0'), 'latin1');
    fs.writeFileSync(file, forged);
    let error: unknown;
    try {
      project.readCheckpoint(8);
    } catch (e) {
      error = e;
    }
    expect(fromWire(error).code).toBe('damaged');
    fs.writeFileSync(file, bytes);
  });

  it('should refuse headers that lie about offsets, lengths or shapes', () => {
    const project = Project.open(dir);
    const file = project.files.checkpoint(8);
    const bytes = fs.readFileSync(file);
    for (const [from, to] of [
      ['"offset":0', '"offset":-400'],
      ['"tensors":[', '"tensors":{},"x":['],
      ['"length":', '"length":1'],
    ]) {
      fs.writeFileSync(file, Buffer.from(bytes.toString('latin1').replace(from, to), 'latin1'));
      expect(() => project.readCheckpoint(8)).toThrowError(/damaged/);
    }
    fs.writeFileSync(file, bytes);
  });

  it('should set a torn newest checkpoint aside and sample, walk, inspect, evaluate and train from the previous one', async () => {
    const project = Project.open(dir);
    const newest = project.files.checkpoint(8);
    const full = fs.readFileSync(newest);
    fs.writeFileSync(newest, full.subarray(0, full.length - 100)); // torn by a crash
    const notices: string[] = [];
    engine.on('project.notice', (n) => notices.push(n.message));

    // The app's walks ask for 'best'; with nothing scored yet that is the newest good checkpoint.
    const tiles = await engine.api.galleryTiles({ dir, seed: 1, count: 4, checkpoint: 'best' });
    expect(tiles).toHaveLength(4);
    const batch = await engine.api.generate({ dir, count: 4, seed: 1 });
    expect(batch.z).toHaveLength(4);
    expect(notices[0]).toMatch(/step-00000008\.ckpt is damaged/);
    expect(Project.open(dir).checkpointSteps()).toEqual([4]);
    const aside = fs.readdirSync(path.join(dir, 'rolled-back'));
    expect(fs.existsSync(path.join(dir, 'rolled-back', aside[0], 'checkpoints', 'step-00000008.ckpt'))).toBe(true);

    const plan = await engine.api.walkPlan({ dir, spec: { kind: 'path', endpoints: [{ kind: 'seed', seed: 1 }, { kind: 'seed', seed: 2 }], mode: 'slerp', framesPerSegment: 2 } });
    expect(plan.step).toBe(4);
    expect((await engine.api.inspectFilters({ dir, layer: 'd1' })).step).toBe(4);
    expect((await engine.api.evalMemorisation({ dir, samples: 8, reference: 32, show: 0 })).rows[0].step).toBe(4);
    const summary = await engine.api.openProject({ dir });
    expect(summary.notices.at(-1)?.kind).toBe('damaged-checkpoint');

    // Resuming moves the later grids and metric rows aside with it; nothing is deleted.
    const done = new Promise<void>((resolve) => engine.on('training.status', (s) => s.state === 'finished' && resolve()));
    await engine.api.startTraining({ dir, moreSteps: 4 });
    await done;
    expect(Project.open(dir).checkpointSteps()).toEqual([4, 8]);
    const rows = Project.open(dir).metrics();
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const asideRows = fs
      .readdirSync(path.join(dir, 'rolled-back'))
      .flatMap((d) => (fs.existsSync(path.join(dir, 'rolled-back', d, 'metrics.jsonl')) ? [d] : []));
    expect(asideRows.length).toBeGreaterThan(0);
    expect(steps()).toEqual([4, 8]);
  });

  it('should refuse a project.json that asks for more than createProject allows, or does not match its data', () => {
    const file = path.join(dir, 'project.json');
    const text = fs.readFileSync(file, 'utf8');
    const config = JSON.parse(text);
    for (const bad of [{ ...config, model: { ...config.model, ngf: 1_000_000 } }, { ...config, train: { ...config.train, batchSize: 1e9 } }]) {
      fs.writeFileSync(file, JSON.stringify(bad));
      expect(() => Project.open(dir)).toThrowError(/not a valid Ganvas project/);
    }
    fs.writeFileSync(file, JSON.stringify({ ...config, dataset: { ...config.dataset, count: 12 } }));
    expect(() => Project.open(dir)).toThrowError(/does not match project\.json/);
    fs.writeFileSync(file, text);
  });

  it('should open a project whose import report is torn, with a warning', async () => {
    fs.writeFileSync(path.join(dir, 'import-report.json'), '{"imported": 3, "skip');
    const warned: string[] = [];
    const off = engine.on('project.notice', (n) => warned.push(n.kind));
    const summary = await engine.api.openProject({ dir });
    off();
    expect(summary.importReport).toBeUndefined();
    expect(warned).toContain('torn-file');
    fs.rmSync(path.join(dir, 'import-report.json'));
  });
});
