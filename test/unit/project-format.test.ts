import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkpointSteps,
  decodeCheckpoint,
  encodeCheckpoint,
  isPinned,
  pruneCheckpoints,
  writeCheckpoint,
} from '../../src-main/engine/project/checkpoints';
import { createProject } from '../../src-main/engine/project/create';
import { Project } from '../../src-main/engine/project/project';
import { parseProjectConfig } from '../../src-main/engine/project/schema';
import { tempDir, tinyMnistProject } from '../helpers/projects';

const meta = (step: number) => ({ step, epoch: step / 10, createdAt: '2026-01-01T00:00:00Z', adamSteps: { G: step, D: step } });

describe('project.json', () => {
  it('should refuse a project written by a newer Ganvas with a clear message', async () => {
    const dir = await tinyMnistProject();
    const file = path.join(dir, 'project.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(() => parseProjectConfig(JSON.stringify({ ...json, schemaVersion: 99 }), file)).toThrow(/newer Ganvas \(schema 99\)/);
    expect(() => parseProjectConfig('{ nope', file)).toThrow(expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/not valid JSON/) }));
    expect(() => parseProjectConfig(JSON.stringify({ ...json, model: { ...json.model, size: 33 } }), file)).toThrow(/model\.size/);
  });

  it('should say clearly when a folder is not a project', () => {
    const dir = tempDir();
    expect(() => Project.open(dir)).toThrow(/is not a Ganvas project/);
    expect(() => Project.open(path.join(dir, 'missing'))).toThrow(/does not exist/);
    expect(() => Project.open(dir)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => Project.open(path.join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('should not leave a half project when the dataset import fails', async () => {
    const dir = path.join(tempDir(), 'p');
    await expect(createProject({ dir, dataset: { kind: 'folder', path: path.join(dir, 'no-such-folder') } })).rejects.toThrow();
    expect(fs.existsSync(path.join(dir, 'project.json'))).toBe(false);
  });

  it('should refuse a conditional model on unlabelled data and a batch larger than the dataset', async () => {
    const images = tempDir();
    const sharp = (await import('sharp')).default;
    for (let i = 0; i < 4; i++) {
      await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: i * 60, g: 0, b: 0 } } }).png().toFile(path.join(images, `${i}.png`));
    }
    await expect(
      createProject({ dir: path.join(tempDir(), 'c'), dataset: { kind: 'folder', path: images }, conditional: true, size: 32 }),
    ).rejects.toThrow(expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/conditional model needs labelled data/) }));
    await expect(createProject({ dir: path.join(tempDir(), 'b'), dataset: { kind: 'folder', path: images }, size: 32 })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/fewer than one batch/) }),
    );
  });
});

describe('checkpoint files', () => {
  it('should round-trip every tensor exactly', () => {
    const tensors = [
      { name: 'G/g0.w', shape: [2, 3], values: Float32Array.from([1, -2, 3.5, 1e-8, 0, 7]) },
      { name: 'optD.m/d1.w', shape: [1], values: Float32Array.from([0.25]) },
    ];
    const back = decodeCheckpoint(encodeCheckpoint(meta(30), tensors), 'x');
    expect(back.header.step).toBe(30);
    expect(back.header.adamSteps).toEqual({ G: 30, D: 30 });
    expect(Array.from(back.tensors.get('G/g0.w')!.values)).toEqual(Array.from(tensors[0].values));
    expect(back.tensors.get('optD.m/d1.w')!.shape).toEqual([1]);
  });

  it('should reject a truncated or foreign file with a readable error', () => {
    const buf = encodeCheckpoint(meta(1), [{ name: 'a', shape: [4], values: new Float32Array(4) }]);
    expect(() => decodeCheckpoint(buf.subarray(0, buf.length - 3), 'c.ckpt')).toThrow(expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/truncated/) }));
    expect(() => decodeCheckpoint(Buffer.from('PK\x03\x04 zip file'), 'c.ckpt')).toThrow(
      expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/not a Ganvas checkpoint/) }),
    );
  });

  it('should keep the last K checkpoints plus every Nth, and ignore temp files of a killed write', () => {
    const dir = tempDir();
    for (const step of [100, 200, 300, 400, 500, 600, 700]) writeCheckpoint(dir, meta(step), []);
    fs.writeFileSync(path.join(dir, 'checkpoints', '.tmp-123-step-00000800.ckpt'), 'partial');
    pruneCheckpoints(dir, 2, 100, 3);
    expect(isPinned(300, 100, 3)).toBe(true);
    expect(checkpointSteps(dir)).toEqual([300, 600, 700]);
  });
});

describe('rollback', () => {
  it('should move later checkpoints, grids and metrics aside rather than delete them', async () => {
    const dir = await tinyMnistProject();
    for (const step of [4, 8, 12]) writeCheckpoint(dir, meta(step), []);
    fs.mkdirSync(path.join(dir, 'samples'));
    for (const step of [5, 10]) fs.writeFileSync(path.join(dir, 'samples', `step-${String(step).padStart(8, '0')}.png`), 'png');
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), [4, 8, 12].map((step) => JSON.stringify({ step })).join('\n') + '\n');
    Project.open(dir).rollbackTo(4);
    const summary = Project.open(dir).summary();
    expect(summary.step).toBe(4);
    expect(summary.samples).toEqual([]);
    const [aside] = fs.readdirSync(path.join(dir, 'rolled-back'));
    const moved = path.join(dir, 'rolled-back', aside);
    expect(fs.readdirSync(path.join(moved, 'checkpoints')).sort()).toEqual(['step-00000008.ckpt', 'step-00000012.ckpt']);
    expect(fs.readFileSync(path.join(moved, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(() => Project.open(dir).rollbackTo(6)).toThrow(/no checkpoint at step 6/);
  });
});
