/**
 * The inspect views on a real tiny MNIST project trained a few steps: filters, feature maps,
 * top-activating samples, guided backprop, forgetting and the saved boxes.
 */
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { loadForgetAnnotations, saveForgetAnnotations } from '../../src-main/engine/inspect/annotations';
import { featureMaps, topActivating } from '../../src-main/engine/inspect/features';
import { networkFilters } from '../../src-main/engine/inspect/filters';
import { fitForget, renderForget } from '../../src-main/engine/inspect/forget';
import { guidedBackprop } from '../../src-main/engine/inspect/guided';
import { generatedRows } from '../../src-main/engine/inspect/sources';
import type { GanAt } from '../../src-main/engine/project/models';
import { Project } from '../../src-main/engine/project/project';
import { sampleBatch } from '../../src-main/engine/sampling/sampler';
import { Trainer } from '../../src-main/engine/train/trainer';
import type { ForgetSampleBoxes } from '../../src-main/shared/types/inspect';
import { tinyMnistProject } from '../helpers/projects';

let project: Project;
let gan: GanAt;

beforeAll(async () => {
  const backend = await selectBackend('wasm');
  const dir = await tinyMnistProject();
  const trainer = Trainer.open(Project.open(dir), backend);
  await trainer.run({ untilStep: 8 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
  project = Project.open(dir);
  gan = project.ganAt();
});

describe('filters', () => {
  it('should show each layer with the layout its position calls for', async () => {
    expect(gan.step).toBe(8);
    const d1 = await networkFilters(gan.D, 'D', 'd1', 1);
    expect([d1.mode, d1.grid.count, d1.kernel]).toEqual(['grey', 8, 4]); // ndf = 8 units on grey pixels
    const d2 = await networkFilters(gan.D, 'D', 'd2', 1, { maxOut: 5 });
    expect([d2.mode, d2.grid.rows, d2.grid.cols, d2.outRange, d2.inRange]).toEqual(['matrix', 5, 8, [0, 5], [0, 8]]);
    const g2 = await networkFilters(gan.G, 'G', 'g2', 1);
    expect([g2.mode, g2.grid.count]).toEqual(['grey', 8]); // one tile per feature map that paints the image
    await expect(networkFilters(gan.G, 'G', 'g9', 1)).rejects.toThrow(/G has no layer 'g9'.*g0, g1, g2/);
    await expect(networkFilters(gan.D, 'D', 'd2', 1, { outStart: 16 })).rejects.toThrow(/output channel 16 does not exist/);
  });
});

describe('feature maps', () => {
  it('should give every layer of G and D for a generated sample, one tile per channel', async () => {
    const before = tf.memory().numTensors;
    const f = await featureMaps(project, gan, { kind: 'generated', seed: 3, index: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(f.G!.map((l) => [l.layer, l.size, l.channels, l.grid.count])).toEqual([
      ['g0', 7, 16, 16],
      ['g1', 14, 8, 8],
      ['g2', 28, 1, 1],
    ]);
    expect(f.D.map((l) => [l.layer, l.size, l.channels])).toEqual([
      ['d1', 14, 8],
      ['d2', 7, 16],
    ]);
    expect(Number.isFinite(f.dLogit)).toBe(true);
    // G's ReLU maps are never negative, so their means are not either.
    expect(f.G![0].means.every((v) => v >= 0)).toBe(true);
  });

  it('should give only D for a dataset image, and refuse an index past the dataset', async () => {
    const f = await featureMaps(project, gan, { kind: 'real', index: 5 });
    expect(f.G).toBeNull();
    expect(f.D).toHaveLength(2);
    await expect(featureMaps(project, gan, { kind: 'real', index: 10_000_000 })).rejects.toThrow(/out of range/);
  });

  it("should rank a pool by the channel's activation, agreeing with the sample's own feature maps", async () => {
    const top = await topActivating(project, gan, {
      net: 'G',
      layer: 'g1',
      channel: 3,
      source: 'generated',
      pool: 40,
      top: 5,
      seed: 9,
    });
    expect(top.items).toHaveLength(5);
    const scores = top.items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(top.images.count).toBe(5);
    const own = await featureMaps(project, gan, { kind: 'generated', seed: 9, index: top.items[0].index });
    expect(own.G![1].means[3]).toBeCloseTo(scores[0], 5);
    // And no sample of the pool outside the top 5 scores higher than the fifth.
    for (let index = 0; index < 40; index++) {
      if (top.items.some((i) => i.index === index)) continue;
      const f = await featureMaps(project, gan, { kind: 'generated', seed: 9, index });
      expect(f.G![1].means[3]).toBeLessThanOrEqual(scores[4] + 1e-6);
    }

    const real = await topActivating(project, gan, {
      net: 'D',
      layer: 'd2',
      channel: 0,
      source: 'real',
      pool: 30,
      top: 3,
      rank: 'max',
    });
    expect(real.items).toHaveLength(3);
    const again = await featureMaps(project, gan, { kind: 'real', index: real.items[0].index });
    expect(again.D[1].maxes[0]).toBeCloseTo(real.items[0].score, 5);
    await expect(topActivating(project, gan, { net: 'G', layer: 'g1', channel: 0, source: 'real' })).rejects.toThrow(/only for generated/);
    await expect(topActivating(project, gan, { net: 'D', layer: 'd3', channel: 0, source: 'real' })).rejects.toThrow(/output logit/);
  });
});

describe('guided backpropagation', () => {
  it('should give patterns for the trained D and its random initialisation', async () => {
    const g = await guidedBackprop(project, gan, { channel: 2, pool: 24, top: 4 });
    expect(g.layer).toBe('d2');
    for (const set of [g.trained, g.random]) {
      expect(set.items).toHaveLength(4);
      expect(set.patterns.count).toBe(4);
      const scores = set.items.map((i) => i.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    }
    expect(g.trained.patterns.pngBase64).not.toBe(g.random.patterns.pngBase64);
    await expect(guidedBackprop(project, gan, { channel: 16 })).rejects.toThrow(/channels 0..15/);
  });
});

describe('forgetting', () => {
  // Left half of six samples boxed: 7 of 14 columns of g1's 14x14 maps.
  const samples: ForgetSampleBoxes[] = [0, 1, 2, 3, 4, 5].map((index) => ({ seed: 4, index, boxes: [{ x0: 0, y0: 0, x1: 14, y1: 28 }] }));

  it('should fit on the positions inside and outside the boxes and select the maps with positive weight', () => {
    const fit = fitForget(gan, project.config.model, gan.step, { samples: [...samples, { seed: 4, index: 9, boxes: [] }] });
    expect(fit.layer).toBe('g1');
    expect([fit.channels, fit.weights.length]).toEqual([8, 8]);
    expect([fit.positives, fit.negatives]).toEqual([6 * 98, 6 * 98]);
    expect(fit.selected).toEqual(
      fit.weights
        .map((w, c) => [w, c])
        .filter(([w]) => w > 0)
        .sort((a, b) => b[0] - a[0])
        .map(([, c]) => c),
    );
    expect(fitForget(gan, project.config.model, gan.step, { samples }).weights).toEqual(fit.weights);
    expect(() => fitForget(gan, project.config.model, gan.step, { samples: [{ seed: 1, index: 0, boxes: [] }] })).toThrow(
      /at least one box/,
    );
    expect(() => fitForget(gan, project.config.model, gan.step, { samples, layer: 'g2' })).toThrow(/output/);
  });

  it('should render the same z with and without the dropped maps', async () => {
    const plain = await renderForget(gan, project.config.model, gan.step, { drop: [], seed: 4, count: 6 });
    expect(plain.after).toEqual(plain.before);
    const dropped = await renderForget(gan, project.config.model, gan.step, { drop: [5, 1, 5], seed: 4, count: 6 });
    expect(dropped.dropped).toEqual([1, 5]);
    expect(dropped.before).toEqual(plain.before);
    expect(dropped.after.filter((png, i) => png !== dropped.before[i]).length).toBeGreaterThan(0);
    // Tile i is tile i of generate({ seed }): the same z rows.
    const batch = await sampleBatch(localDrawer(project.config.model, gan), project.config.model, 6, 4);
    const rows = generatedRows(project.config.model, 4, [0, 1, 2, 3, 4, 5]).z;
    expect(Array.from(rows)).toEqual(batch.z.flat().map((v) => Math.fround(v)));
  });

  it('should save boxes as versioned JSON and refuse a file from a newer version', () => {
    expect(loadForgetAnnotations(project).samples).toEqual([]);
    const saved = saveForgetAnnotations(project, { version: 1, layer: 'g1', samples: [...samples, { seed: 4, index: 8, boxes: [] }] });
    expect(saved.samples).toHaveLength(6);
    expect(loadForgetAnnotations(project)).toEqual(saved);
    fs.writeFileSync(project.files.forgetAnnotations, JSON.stringify({ version: 2, layer: null, samples: [] }));
    expect(() => loadForgetAnnotations(project)).toThrow(/newer Ganvas/);
    fs.writeFileSync(project.files.forgetAnnotations, '{"version": 1, "layer": ');
    expect(() => loadForgetAnnotations(project)).toThrow(
      expect.objectContaining({ code: 'damaged', message: expect.stringMatching(/not valid JSON/) }),
    );
  });
});
