/**
 * The latent explorer through the engine API and its inference worker, on a real (tiny, briefly
 * trained) MNIST project: gallery, seed endpoints, deterministic walks, rendering, exports.
 */
import fs from 'node:fs';
import path from 'node:path';
import omggif from 'omggif';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { selectBackend } from '../../src-main/engine/backend/select';
import { Project } from '../../src-main/engine/project/project';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { ExportProgress, WalkSpec } from '../../src-main/shared/types';
import { tempDir, tinyMnistProject } from '../helpers/projects';

let engine: EngineHost;
let dir: string;

beforeAll(async () => {
  dir = await tinyMnistProject();
  const trainer = Trainer.open(Project.open(dir), await selectBackend('wasm'));
  await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
  engine = createEngine({ stateDir: tempDir('ganvas-state-') });
});

afterAll(async () => {
  await engine.dispose();
});

const pngSize = (b64: string) => {
  const png = PNG.sync.read(Buffer.from(b64, 'base64'));
  return [png.width, png.height];
};

describe('sample gallery', () => {
  it('should make tiles with exactly the z of generate() for the same seed', async () => {
    const tiles = await engine.api.galleryTiles({ dir, seed: 3, count: 4 });
    const batch = await engine.api.generate({ dir, seed: 3, count: 4 });
    expect(tiles.map((t) => t.z)).toEqual(batch.z);
    expect(tiles.map((t) => [t.seed, t.index, t.label])).toEqual([
      [3, 0, null],
      [3, 1, null],
      [3, 2, null],
      [3, 3, null],
    ]);
    expect(pngSize(tiles[0].pngBase64)).toEqual([28, 28]);
    expect(tiles[1].pngBase64).not.toBe(tiles[0].pngBase64);
  });

  it('should save, list, rename, pin and delete samples in gallery.json', async () => {
    const [tile] = await engine.api.galleryTiles({ dir, seed: 5, count: 1 });
    const a = await engine.api.gallerySave({ dir, sample: { z: tile.z, label: null, source: { seed: 5, index: 0 } } });
    const b = await engine.api.gallerySave({ dir, sample: { name: 'second', z: tile.z.map((v) => -v), label: null } });
    expect(a.name).toBe('seed 5 #0');
    expect((await engine.api.galleryList({ dir })).map((s) => s.id)).toEqual([a.id, b.id]);
    await engine.api.galleryUpdate({ dir, id: b.id, pinned: true, name: 'flipped' });
    const listed = await engine.api.galleryList({ dir });
    expect(listed.map((s) => [s.name, s.pinned])).toEqual([
      ['flipped', true],
      ['seed 5 #0', false],
    ]);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'gallery.json'), 'utf8'));
    expect(onDisk.version).toBe(1);
    expect(onDisk.samples[0].z).toEqual(tile.z);
    expect((await engine.api.galleryDelete({ dir, id: a.id })).map((s) => s.id)).toEqual([b.id]);
    await expect(engine.api.galleryDelete({ dir, id: a.id })).rejects.toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/No saved sample/) }));
    await expect(engine.api.gallerySave({ dir, sample: { z: [1, 2], label: null } })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/z has 2 numbers; the model's has 16/) }),
    );
  });
});

const twoSeedPath = (): Extract<WalkSpec, { kind: 'path' }> => ({
  kind: 'path',
  endpoints: [
    { kind: 'seed', seed: 3 },
    { kind: 'seed', seed: 4 },
  ],
  mode: 'slerp',
  framesPerSegment: 8,
});

describe('walks', () => {
  const spec: WalkSpec = {
    kind: 'path',
    endpoints: [
      { kind: 'seed', seed: 3 },
      { kind: 'seed', seed: 4 },
    ],
    mode: 'slerp',
    framesPerSegment: 8,
  };

  it('should start and end a seed walk on tile 0 of generate() for those seeds, every time', async () => {
    const plan = await engine.api.walkPlan({ dir, spec });
    expect(plan.frames).toHaveLength(9);
    expect(plan.keyFrames).toEqual([0, 8]);
    expect(plan.step).toBe(4);
    expect(plan.frames[0].z).toEqual((await engine.api.generate({ dir, seed: 3, count: 1 })).z[0]);
    expect(plan.frames[8].z).toEqual((await engine.api.generate({ dir, seed: 4, count: 2 })).z[0]);
    expect(await engine.api.walkPlan({ dir, spec })).toEqual(plan);
    const random: WalkSpec = {
      kind: 'random',
      start: { kind: 'seed', seed: 3 },
      steps: 3,
      stepSize: 0.3,
      seed: 9,
      mode: 'slerp',
      framesPerSegment: 2,
    };
    const r1 = await engine.api.walkPlan({ dir, spec: random });
    expect(r1.frames).toHaveLength(7);
    expect(await engine.api.walkPlan({ dir, spec: random })).toEqual(r1);
    expect((await engine.api.walkPlan({ dir, spec: { ...random, seed: 10 } })).frames[2].z).not.toEqual(r1.frames[2].z);
  });

  it('should render a frame the same whatever batch it is rendered in', async () => {
    const plan = await engine.api.walkPlan({ dir, spec });
    const [tile] = await engine.api.galleryTiles({ dir, seed: 3, count: 1 });
    const pngs = await engine.api.renderLatents({ dir, rows: plan.frames.slice(0, 5) });
    expect(pngs).toHaveLength(5);
    expect(pngs[0]).toBe(tile.pngBase64);
    const scaled = await engine.api.renderLatents({ dir, rows: [plan.frames[0]], scale: 3 });
    expect(pngSize(scaled[0])).toEqual([84, 84]);
  });

  it('should walk from a saved sample endpoint and explain bad walks', async () => {
    const saved = await engine.api.gallerySave({ dir, sample: { z: Array.from({ length: 16 }, (_, i) => i / 16), label: null } });
    const plan = await engine.api.walkPlan({
      dir,
      spec: {
        ...spec,
        endpoints: [
          { kind: 'sample', id: saved.id },
          { kind: 'seed', seed: 1 },
        ],
      },
    });
    expect(plan.frames[0].z).toEqual(saved.z.map((v) => Math.fround(v)));
    await expect(engine.api.walkPlan({ dir, spec: { ...spec, endpoints: [{ kind: 'seed', seed: 1 }] } })).rejects.toThrow(
      /pick at least two endpoints/,
    );
    await expect(
      engine.api.walkPlan({ dir, spec: { kind: 'sweep', start: { kind: 'seed', seed: 1 }, dim: 16, range: [-3, 3], frames: 5 } }),
    ).rejects.toThrow(/Dimension 16 does not exist/);
    await expect(
      engine.api.walkPlan({ dir, spec: { kind: 'classes', start: { kind: 'seed', seed: 1 }, classes: [0, 1], framesPerSegment: 3 } }),
    ).rejects.toThrow(/conditional model/);
  });
});

describe('concept and class endpoints', () => {
  it("should walk from a saved concept's mean z", async () => {
    const a = Array.from({ length: 16 }, (_, i) => i / 8);
    const b = Array.from({ length: 16 }, (_, i) => -i / 4);
    const concept = await engine.api.conceptCreate({ dir, name: 'mix', members: [{ z: a }, { z: b }] });
    const plan = await engine.api.walkPlan({
      dir,
      spec: {
        ...twoSeedPath(),
        endpoints: [
          { kind: 'concept', id: concept.id },
          { kind: 'seed', seed: 1 },
        ],
      },
    });
    plan.frames[0].z.forEach((v, i) => expect(v).toBeCloseTo((a[i] + b[i]) / 2, 5));
  });

  it('should keep z and move a soft label in a class walk, matching one-hot tiles at the classes', async () => {
    const cdir = await tinyMnistProject({ conditional: true });
    const plan = await engine.api.walkPlan({
      dir: cdir,
      spec: { kind: 'classes', start: { kind: 'seed', seed: 2 }, classes: [0, 3], framesPerSegment: 2 },
    });
    expect(plan.frames).toHaveLength(3);
    expect(plan.frames[1].z).toEqual(plan.frames[0].z);
    expect(plan.frames[1].label!.map((v, c) => (v > 0 ? c : -1)).filter((c) => c >= 0)).toEqual([0, 3]);
    const pngs = await engine.api.renderLatents({ dir: cdir, rows: plan.frames });
    const [zero] = await engine.api.galleryTiles({ dir: cdir, seed: 2, count: 1, classIndex: 0 });
    const [three] = await engine.api.galleryTiles({ dir: cdir, seed: 2, count: 1, classIndex: 3 });
    expect(pngs[0]).toBe(zero.pngBase64);
    expect(pngs[2]).toBe(three.pngBase64);
    expect(pngs[1]).not.toBe(pngs[0]);
    expect(pngs[1]).not.toBe(pngs[2]);
  });
});

describe('exports', () => {
  const spec: WalkSpec = {
    kind: 'path',
    endpoints: [1, 2, 3].map((seed) => ({ kind: 'seed' as const, seed })),
    mode: 'slerp',
    framesPerSegment: 4,
    loop: true,
  };

  it('should export a looping GIF with progress events that an independent decoder reads', async () => {
    const events: ExportProgress[] = [];
    const off = engine.on('export.progress', (p) => events.push(p));
    const out = path.join(tempDir(), 'walk.gif');
    const result = await engine.api.exportWalk({ dir, spec, id: 'gif-1', options: { format: 'gif', out, fps: 20, scale: 2 } });
    off();
    expect(result).toMatchObject({ file: out, frames: 12, width: 56, height: 56, format: 'gif' });
    const gif = new omggif.GifReader(new Uint8Array(fs.readFileSync(out)));
    expect([gif.numFrames(), gif.width, gif.height, gif.loopCount(), gif.frameInfo(3).delay]).toEqual([12, 56, 56, 0, 5]);
    expect(events.every((e) => e.id === 'gif-1' && e.file === out)).toBe(true);
    expect(events[0]).toMatchObject({ phase: 'render', done: 0 });
    expect(events.at(-1)).toMatchObject({ phase: 'done', done: events.at(-1)!.total });
    const done = events.map((e) => e.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });

  it('should cancel a running export and leave no file behind', async () => {
    const out = path.join(tempDir(), 'long.gif');
    const long: WalkSpec = { ...spec, framesPerSegment: 200 };
    const off = engine.on('export.progress', (p) => {
      // The first event comes once the worker has begun: cancel mid-export, as the Cancel button does.
      if (p.id === 'long' && p.phase === 'render') void engine.api.cancelExport({ id: 'long' });
    });
    const events: ExportProgress[] = [];
    const offAll = engine.on('export.progress', (p) => events.push(p));
    await expect(
      engine.api.exportWalk({ dir, spec: long, id: 'long', options: { format: 'gif', out, fps: 12, scale: 1 } }),
    ).rejects.toThrow(expect.objectContaining({ code: 'cancelled', message: expect.stringMatching(/Export cancelled/) }));
    off();
    offAll();
    expect(events.at(-1)!.phase).toBe('cancelled');
    expect(fs.existsSync(out)).toBe(false);
    expect(await engine.api.cancelExport({ id: 'long' })).toBe(false);
  });

  it('should report an export to a missing folder as a readable error', async () => {
    await expect(
      engine.api.exportWalk({ dir, spec, options: { format: 'gif', out: '/no/such/folder/w.gif', fps: 12, scale: 1 } }),
    ).rejects.toThrow(/folder \/no\/such\/folder does not exist/);
  });
});
