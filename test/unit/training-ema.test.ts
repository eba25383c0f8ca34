/**
 * The moving average of G's weights (the `emaDecay` setting, engine/train/ema.ts): its update rule,
 * that it is saved and resumed exactly, kept identical across data-parallel replicas, used for
 * every sample drawn from a checkpoint, and absent (numbers unchanged) where the setting is off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { readCheckpoint } from '../../src-main/engine/project/checkpoints';
import { Project } from '../../src-main/engine/project/project';
import { generateImages } from '../../src-main/engine/sampling/sampler';
import { emaDecayAt } from '../../src-main/engine/train/ema';
import type { ParallelDevice } from '../../src-main/engine/train/parallel/parallel-device';
import { firstCliLine } from '../helpers/cli-output';
import { tempDir, tinyMnistProject } from '../helpers/projects';
import { runGanvas } from '../helpers/run-cli';
import { never, wasmTrainers } from '../helpers/wasm-trainers';

const trainers = wasmTrainers();
const trainer = trainers.open;

const averaged = (overrides = {}) => tinyMnistProject({ emaDecay: 0.9, ...overrides });

/** The checkpoint's tensors whose names start with `prefix/`, by the rest of the name. */
function tensorsOf(dir: string, step: number, prefix: string): Map<string, Float32Array> {
  const ckpt = readCheckpoint(dir, step);
  return new Map(
    [...ckpt.tensors].filter(([name]) => name.startsWith(`${prefix}/`)).map(([name, t]) => [name.slice(prefix.length + 1), t.values]),
  );
}

const read = (m: Map<string, tf.Variable>) => new Map([...m].map(([k, v]) => [k, v.dataSync().slice() as Float32Array]));

describe('the moving average of G', () => {
  it('should ramp its decay up from 2/11 at the first update to the setting', () => {
    expect(emaDecayAt(0.999, 1)).toBeCloseTo(2 / 11, 12);
    expect(emaDecayAt(0.999, 90)).toBeCloseTo(91 / 100, 12);
    expect(emaDecayAt(0.999, 100_000)).toBe(0.999);
    expect(emaDecayAt(0.9, 200)).toBe(0.9);
  });

  it('should move the average by (1 - d) towards G after each G update, weights and BatchNorm statistics alike', async () => {
    const t = await trainer(await averaged());
    const { gan } = t;
    const ema = gan.ema!;
    expect(read(ema.G.params)).toEqual(read(gan.G.params)); // starts at G's initial weights
    await t.runStep();
    const before = { avg: read(ema.G.params), stats: read(ema.G.stats) };
    await t.runStep();
    const d = emaDecayAt(0.9, 2);
    for (const [avg, G, now] of [
      [before.avg, gan.G.params, ema.G.params],
      [before.stats, gan.G.stats, ema.G.stats],
    ] as const) {
      for (const [k, v] of now) {
        const g = G.get(k)!.dataSync();
        const got = v.dataSync();
        avg.get(k)!.forEach((a, i) => expect(got[i]).toBeCloseTo(d * a + (1 - d) * g[i], 6));
      }
    }
  });

  it('should leave tf.memory().numTensors unchanged after each step', async () => {
    const t = await trainer(await averaged());
    await t.runStep();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await t.runStep();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('should save the average with each checkpoint and resume it exactly', async () => {
    const straight = await trainer(await averaged());
    await straight.run({ untilStep: 6 }, never);
    const dir = await averaged();
    await (await trainer(dir)).run({ untilStep: 4 }, never);
    const resumed = await trainer(dir);
    expect(resumed.step).toBe(4);
    await resumed.run({ untilStep: 6 }, never);
    const expected = tensorsOf(straight.dir, 6, 'G.ema');
    expect(expected.size).toBe(straight.gan.G.params.size);
    expect(tensorsOf(dir, 6, 'G.ema')).toEqual(expected);
    expect(tensorsOf(dir, 6, 'G.ema.stats')).toEqual(tensorsOf(straight.dir, 6, 'G.ema.stats'));
  });

  it('should draw every sample from the average: the preview grid and the networks a checkpoint loads', async () => {
    const dir = await averaged();
    const t = await trainer(dir);
    await t.run({ untilStep: 4 }, never);
    const { gan } = t;
    const { model } = t.config;
    const z = Float32Array.from({ length: 4 * model.zDim }, (_, i) => Math.sin(i));
    const fromAverage = generateImages(gan.ema!.G, model, z, null);
    expect(await t.device.generate(z, null)).toEqual(fromAverage);
    expect(generateImages(gan.G, model, z, null)).not.toEqual(fromAverage);
    const loaded = Project.open(dir).ganAt(4);
    expect(read(loaded.G.params)).toEqual(read(gan.ema!.G.params));
    expect(read(loaded.G.stats)).toEqual(read(gan.ema!.G.stats));
    expect(read(loaded.D.params)).toEqual(read(gan.D.params));
  });

  it('should keep no average and load raw G where the setting is off', async () => {
    const dir = await tinyMnistProject();
    const t = await trainer(dir);
    await t.run({ untilStep: 4 }, never);
    expect(t.gan.ema).toBeUndefined();
    expect(tensorsOf(dir, 4, 'G.ema').size).toBe(0);
    expect(read(Project.open(dir).ganAt(4).G.params)).toEqual(read(t.gan.G.params));
  });

  it("should start the average at the checkpoint's G when the setting is turned on for a run without one", async () => {
    const dir = await tinyMnistProject();
    await (await trainer(dir)).run({ untilStep: 4 }, never);
    const file = Project.open(dir).files.config;
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...config, train: { ...config.train, emaDecay: 0.9 } }));
    const t = await trainer(dir);
    expect(t.step).toBe(4);
    expect(read(t.gan.ema!.G.params)).toEqual(read(t.gan.G.params));
    await t.run({ untilStep: 8 }, never);
    expect(tensorsOf(dir, 8, 'G.ema').size).toBe(t.gan.G.params.size);
  });

  it('should keep the replicas of a two-worker run identical, average included, and close to the one-worker average', async () => {
    const one = await trainer(await averaged({ batchSize: 32 }), 1);
    const two = await trainer(await averaged({ batchSize: 32 }), 2);
    await one.run({ untilStep: 4 }, never);
    await two.run({ untilStep: 4 }, never);
    const sums = await (two.device as ParallelDevice).checksums(); // over the whole state, the average included
    expect(sums[1]).toBe(sums[0]);
    const a = tensorsOf(one.dir, 4, 'G.ema');
    const b = tensorsOf(two.dir, 4, 'G.ema');
    expect([...b.keys()]).toEqual([...a.keys()]);
    // As the losses (parallel-training.test.ts): per-replica BatchNorm statistics and summation order differ.
    for (const [k, v] of a) v.forEach((x, i) => expect(Math.abs(x - b.get(k)![i])).toBeLessThan(5e-3));
  });
});

describe('ganvas new --ema', () => {
  it(
    'should record the decay in the project, show it in info, and refuse one outside [0, 0.9999] in one line',
    { timeout: 600_000 },
    () => {
      const dir = path.join(tempDir(), 'p');
      const made = runGanvas(
        ['new', dir, '--dataset', 'mnist', '--ngf', '8', '--ndf', '8', '--z', '16', '--batch', '16', '--ema', '0.99'],
        300_000,
      );
      expect(made.status, made.stderr).toBe(0);
      expect(Project.open(dir).config.train.emaDecay).toBe(0.99);
      expect(runGanvas(['info', dir]).stdout).toContain("samples from G's moving average (decay 0.99)");
      const bad = runGanvas(['new', path.join(tempDir(), 'q'), '--dataset', 'mnist', '--ema', '1']);
      expect(bad.status).not.toBe(0);
      expect(firstCliLine(bad.stderr)).toMatch(/--ema/);
    },
  );
});
