/** The inspect methods through the engine API: validation, the worker tasks, saved boxes. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { tempDir } from '../helpers/projects';

let engine: EngineHost;
let dir: string;

beforeAll(async () => {
  engine = createEngine({ stateDir: tempDir('ganvas-state-') });
  dir = path.join(tempDir(), 'inspect-project');
  await engine.api.createProject({ dir, dataset: { kind: 'mnist' }, ngf: 8, ndf: 8, zDim: 16, batchSize: 16, seed: 5 });
});

afterAll(async () => {
  await engine.dispose();
});

describe('inspect API', () => {
  it('should list the layers and reject bad requests readably', async () => {
    const layers = await engine.api.inspectLayers({ dir });
    expect(layers.step).toBe(0);
    expect(layers.G.map((l) => l.name)).toEqual(['g0', 'g1', 'g2']);
    expect(layers.D.map((l) => [l.name, l.hasFilters])).toEqual([
      ['d1', true],
      ['d2', true],
      ['d3', true],
    ]);
    expect(layers.forgetLayer).toBe('g1');
    await expect(engine.api.inspectFilters({ dir, layer: 'conv1' })).rejects.toThrow(
      expect.objectContaining({ code: 'invalid', message: expect.stringMatching(/Invalid inspectFilters request: layer: a layer is named like g1/) }),
    );
    await expect(engine.api.forgetFit({ dir, samples: [] })).rejects.toThrow(/draw at least one box/);
    await expect(engine.api.inspectFilters({ dir: '/no/such/project', layer: 'd1' })).rejects.toThrow(
      expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/does not exist/) }),
    );
  });

  it('should render filters, feature maps and forgetting in the inference worker', async () => {
    const filters = await engine.api.inspectFilters({ dir, layer: 'd1' });
    expect([filters.step, filters.mode, filters.grid.count]).toEqual([0, 'grey', 8]);
    const maps = await engine.api.inspectFeatures({ dir, source: { kind: 'real', index: 3 } });
    expect(maps.G).toBeNull();
    expect(maps.D.map((l) => l.layer)).toEqual(['d1', 'd2']);
    const render = await engine.api.forgetRender({ dir, drop: [0, 1], seed: 2, count: 3 });
    expect([render.layer, render.before.length, render.after.length]).toEqual(['g1', 3, 3]);
    await expect(engine.api.inspectGuided({ dir, channel: 99 })).rejects.toThrow(/channels 0..15/);
  });

  it('should save and load the boxes of the forgetting view', async () => {
    expect((await engine.api.forgetAnnotations({ dir })).samples).toEqual([]);
    const annotations = { version: 1 as const, layer: null, samples: [{ seed: 1, index: 2, boxes: [{ x0: 1, y0: 2, x1: 10, y1: 12 }] }] };
    await engine.api.saveForgetAnnotations({ dir, annotations });
    expect(await engine.api.forgetAnnotations({ dir })).toEqual(annotations);
    await expect(
      engine.api.saveForgetAnnotations({
        dir,
        annotations: { ...annotations, samples: [{ seed: 1, index: 2, boxes: [{ x0: 5, y0: 2, x1: 4, y1: 12 }] }] },
      }),
    ).rejects.toThrow(/x0 < x1/);
  });
});
