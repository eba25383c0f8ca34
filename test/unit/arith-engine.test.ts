/** Latent arithmetic with a real generator: in-process, through the engine API's worker, and the CLI. */
import { localDrawer } from '../../src-main/engine/sampling/local-drawer';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeArith, renderDirection, type ComposeTerm } from '../../src-main/engine/arith/compose';
import { generateRows as renderRows } from '../../src-main/engine/sampling/sampler';
import { combine, meanImage, meanVector } from '../../src-main/engine/arith/vector';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { buildNetworks, disposeNetworks } from '../../src-main/engine/models/gan';
import { loadNetworks, type GanAt } from '../../src-main/engine/project/models';
import { Project } from '../../src-main/engine/project/project';
import { toByte } from '../../src-main/engine/sampling/grid';
import { latentVectors } from '../../src-main/engine/sampling/noise';
import { Trainer } from '../../src-main/engine/train/trainer';
import { deriveSeed, Stream } from '../../src-main/engine/util/rng';
import type { ModelConfig } from '../../src-main/shared/types';
import { tempDir, tinyMnistProject } from '../helpers/projects';
import { firstCliLine } from '../helpers/cli-output';
import { runGanvas } from '../helpers/run-cli';

let dir: string;
let model: ModelConfig;
let gan: GanAt;

/** The z of `ganvas sample --seed s --count 1`'s only tile. */
const seedZ = (s: number) => Array.from(latentVectors(model, 1, deriveSeed(s, Stream.sample)));
const concept = (symbol: string, weight: number, seeds: number[]): ComposeTerm => ({
  conceptId: symbol,
  symbol,
  name: `seeds ${seeds}`,
  weight,
  members: seeds.map((seed) => ({ z: seedZ(seed), label: null, seed })),
});
const terms = () => [concept('A', 1, [1, 2, 3]), concept('B', -1, [4, 5, 6]), concept('C', 1, [7, 8, 9])];
const gray = (b64: string) => {
  const png = PNG.sync.read(Buffer.from(b64, 'base64'));
  return Array.from({ length: png.width * png.height }, (_, i) => png.data[i * 4]);
};

beforeAll(async () => {
  const backend = await selectBackend('wasm');
  dir = await tinyMnistProject();
  const trainer = Trainer.open(Project.open(dir), backend);
  await trainer.run({ untilStep: 4 }, { stopRequested: () => false, whilePaused: async () => undefined });
  trainer.dispose();
  const project = Project.open(dir);
  model = project.config.model;
  gan = loadNetworks(project.config, 4, project.readCheckpoint(4));
});

afterAll(() => disposeNetworks(gan));

describe('composeArith (in-process)', () => {
  it('should centre the grid on G(mean A - mean B + mean C) and leak no tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await composeArith(localDrawer(model, gan), model, 4, { terms: terms(), noise: 0.25, noiseSeed: 11 });
    expect(tf.memory().numTensors).toBe(before);
    const t = terms();
    const y = combine(t.map((c) => ({ weight: c.weight, vector: meanVector(c.members.map((m) => m.z)) })));
    expect(result.z).toEqual(Array.from(y));
    expect(result.gridZ[4]).toEqual(Array.from(y));
    expect(result.expression).toBe('A - B + C');
    expect(result.grid).toHaveLength(9);
    expect(result.terms.map((x) => x.memberPngs.length)).toEqual([3, 3, 3]);
    // The centre tile is exactly G(Y), rendered on its own.
    const alone = renderRows(gan.G, model, y, null);
    expect(gray(result.grid[4])).toEqual(Array.from(alone, toByte));
    const png = PNG.sync.read(Buffer.from(result.gridPng, 'base64'));
    expect([png.width, png.height]).toEqual([(3 * 28 + 4 * 2) * 4, (3 * 28 + 4 * 2) * 4]);
  });

  it('should do the same arithmetic on the members images for the pixel-space result', async () => {
    const result = await composeArith(localDrawer(model, gan), model, 4, { terms: terms(), noise: 0.25, noiseSeed: 0 });
    const pixels = 28 * 28;
    const expected = new Float32Array(pixels);
    for (const c of terms()) {
      const images = renderRows(gan.G, model, Float32Array.from(c.members.flatMap((m) => m.z)), null);
      const mean = meanImage(images, c.members.length, pixels);
      for (let i = 0; i < pixels; i++) expected[i] += c.weight * mean[i];
    }
    const clipped = Array.from(expected, (v) => toByte(Math.max(-1, Math.min(1, v))));
    const got = gray(result.pixelPng);
    // Same math, different summation order: allow one grey level of rounding.
    expect(Math.max(...got.map((v, i) => Math.abs(v - clipped[i])))).toBeLessThanOrEqual(1);
    // Pixel arithmetic of exemplars is not the image of the latent arithmetic (the paper's point).
    expect(got).not.toEqual(gray(result.grid[4]));
  });

  it('should give the same grid for the same noise seed and other neighbours for another', async () => {
    const a = await composeArith(localDrawer(model, gan), model, 4, { terms: terms(), noise: 0.25, noiseSeed: 5 });
    const b = await composeArith(localDrawer(model, gan), model, 4, { terms: terms(), noise: 0.25, noiseSeed: 5 });
    const c = await composeArith(localDrawer(model, gan), model, 4, { terms: terms(), noise: 0.25, noiseSeed: 6 });
    expect(b.gridPng).toBe(a.gridPng);
    expect(b.grid).toEqual(a.grid);
    expect(c.grid[4]).toBe(a.grid[4]);
    expect(c.gridZ[0]).not.toEqual(a.gridZ[0]);
    for (let cell = 0; cell < 9; cell++) {
      for (let i = 0; i < model.zDim; i++) expect(Math.abs(a.gridZ[cell][i] - a.z[i])).toBeLessThanOrEqual(0.25 + 1e-6);
    }
  });

  it('should refuse an empty concept and move a base along a direction', async () => {
    const empty = { ...concept('B', -1, []), name: 'neutral woman' };
    await expect(
      composeArith(localDrawer(model, gan), model, 4, { terms: [concept('A', 1, [1]), empty], noise: 0.25, noiseSeed: 0 }),
    ).rejects.toThrow(/Concept B \(neutral woman\) has no samples yet/);
    const a = concept('A', 1, [1, 2]).members;
    const b = concept('B', 1, [3]).members;
    const base = { z: seedZ(20), label: null };
    const r = await renderDirection(localDrawer(model, gan), model, 4, { a, b, base, strengths: [0, 1, 2] });
    expect(r.frames[0].z).toEqual(base.z);
    const d = r.direction;
    r.frames[2].z.forEach((v, i) => expect(v).toBeCloseTo(base.z[i] + 2 * d[i], 5));
    expect(gray(r.frames[0].pngBase64)).toEqual(Array.from(renderRows(gan.G, model, Float32Array.from(base.z), null), toByte));
    expect(r.relativeNorm).toBeCloseTo(r.norm / 4, 6); // sqrt(zDim = 16)
  });
});

describe('composeArith on a conditional model', () => {
  it('should combine the members classes like z and render the grid with that label', async () => {
    const cdir = await tinyMnistProject({ conditional: true });
    const { config } = Project.open(cdir);
    expect(config.model.numClasses).toBe(10);
    const cgan = buildNetworks(config.model, config.train.seed);
    try {
      const z = (s: number) => Array.from(latentVectors(config.model, 1, deriveSeed(s, Stream.sample)));
      const term = (symbol: string, weight: number, label: number, seeds: number[]): ComposeTerm => ({
        conceptId: symbol,
        symbol,
        name: symbol,
        weight,
        members: seeds.map((s) => ({ z: z(s), label })),
      });
      const t = [term('A', 1, 3, [1, 2]), term('B', -1, 3, [3]), term('C', 1, 5, [4, 5, 6])];
      const r = await composeArith(localDrawer(config.model, cgan), config.model, 0, { terms: t, noise: 0.25, noiseSeed: 1 });
      expect(r.label).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
      const onehot5 = new Float32Array(10);
      onehot5[5] = 1;
      expect(gray(r.grid[4])).toEqual(Array.from(renderRows(cgan.G, config.model, Float32Array.from(r.z), onehot5), toByte));
      // A conditional model's direction base must say its class.
      await expect(
        renderDirection(localDrawer(config.model, cgan), config.model, 0, {
          a: t[0].members,
          b: t[1].members,
          base: { z: z(9), label: null },
          strengths: [1],
        }),
      ).rejects.toThrow(/needs a class for the base/);
    } finally {
      disposeNetworks(cgan);
    }
  });
});

describe('arithmetic through the engine API', () => {
  let stateDir: string;
  let engine: EngineHost;

  beforeAll(() => {
    stateDir = tempDir('ganvas-state-');
    engine = createEngine({ stateDir });
  });
  afterAll(() => engine.dispose());

  it('should keep concepts across an engine restart and compose them in the worker', async () => {
    const members = (seeds: number[]) => seeds.map((seed) => ({ z: seedZ(seed), seed }));
    const a = await engine.api.conceptCreate({ dir, name: 'smiling woman', members: members([1, 2, 3]) });
    await engine.api.conceptCreate({ dir, name: 'neutral woman', members: members([4, 5, 6]) });
    const c = await engine.api.conceptCreate({ dir, name: 'neutral man', members: members([7]) });
    await engine.api.conceptUpdate({ dir, id: c.id, members: members([7, 8, 9]) });
    await engine.api.conceptUpdate({ dir, id: a.id, name: 'smiling' });
    await engine.dispose();

    engine = createEngine({ stateDir });
    const listed = await engine.api.conceptList({ dir });
    expect(listed.map((x) => `${x.symbol}:${x.name}:${x.members.length}`)).toEqual(['A:smiling:3', 'B:neutral woman:3', 'C:neutral man:3']);

    const viaApi = await engine.api.arithCompose({ dir, expression: 'A \u2212 B + C', noiseSeed: 5 });
    const inProcess = await composeArith(localDrawer(model, gan), model, 4, { terms: terms(), noise: 0.25, noiseSeed: 5 });
    expect(viaApi.step).toBe(4);
    expect(viaApi.noise).toBe(0.25);
    expect(viaApi.gridPng).toBe(inProcess.gridPng);
    expect(viaApi.terms.map((t) => t.name)).toEqual(['smiling', 'neutral woman', 'neutral man']);

    const weighted = await engine.api.arithCompose({ dir, expression: '0.5*"smiling" + 0.5*C', noise: 0 });
    expect(weighted.grid.every((tile) => tile === weighted.grid[4])).toBe(true); // noise 0: nine copies of G(Y)
  });

  it('should answer bad expressions and directions with readable errors', async () => {
    const invalid = (message: RegExp) => expect.objectContaining({ code: 'invalid', message: expect.stringMatching(message) });
    await expect(engine.api.arithCompose({ dir, expression: 'A * B' })).rejects.toThrow(
      invalid(/Expression: two concepts cannot be multiplied/),
    );
    await expect(engine.api.arithCompose({ dir, expression: 'A - Z' })).rejects.toThrow(invalid(/no concept called 'Z'/));
    await expect(engine.api.arithCompose({ dir, expression: 'A', noise: -1 })).rejects.toThrow(
      invalid(/Invalid arithCompose request: noise/),
    );
    const [a, b] = await engine.api.conceptList({ dir });
    await expect(engine.api.arithDirection({ dir, a: a.id, b: a.id, base: { z: seedZ(1), label: null }, strengths: [1] })).rejects.toThrow(
      invalid(/two different concepts/),
    );
    await expect(
      engine.api.arithDirection({ dir, a: a.id, b: 'deleted-elsewhere', base: { z: seedZ(1), label: null }, strengths: [1] }),
    ).rejects.toThrow(expect.objectContaining({ code: 'not-found', message: expect.stringMatching(/no longer exists/) }));
    const r = await engine.api.arithDirection({ dir, a: a.id, b: b.id, base: { z: seedZ(30), label: null }, strengths: [0, 0.5, 1] });
    expect(r.frames.map((f) => f.strength)).toEqual([0, 0.5, 1]);
    const left = await engine.api.conceptDelete({ dir, id: b.id });
    expect(left.map((x) => x.symbol)).toEqual(['A', 'C']);
  });
});

describe('ganvas arith (CLI)', () => {
  const ganvas = (...args: string[]) => runGanvas(args);

  it('should write the same grid for the same seeds, with Y from the sample seeds', () => {
    const out = tempDir();
    const args = ['arith', dir, '--a', '1,2,3', '--b', '4,5,6', '--c', '7,8,9', '--noise-seed', '5'];
    const first = ganvas(
      ...args,
      '--out',
      path.join(out, 'a.png'),
      '--z-out',
      path.join(out, 'y.json'),
      '--pixel-out',
      path.join(out, 'p.png'),
    );
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/A - B \+ C with A = seeds 1,2,3 \(3\).*from step 4/);
    const second = ganvas(...args, '--out', path.join(out, 'b.png'));
    expect(second.status, second.stderr).toBe(0);
    const png = fs.readFileSync(path.join(out, 'a.png'));
    expect(png.equals(fs.readFileSync(path.join(out, 'b.png')))).toBe(true);
    const y = JSON.parse(fs.readFileSync(path.join(out, 'y.json'), 'utf8'));
    const expected = combine(terms().map((c) => ({ weight: c.weight, vector: meanVector(c.members.map((m) => m.z)) })));
    y.z.forEach((v: number, i: number) => expect(v).toBeCloseTo(expected[i], 5));
    expect(fs.readFileSync(path.join(out, 'p.png')).subarray(1, 4).toString()).toBe('PNG');

    // --c-z from `sample --z-out` output gives the same grid as --c with the same seeds' z.
    fs.writeFileSync(path.join(out, 'c.json'), JSON.stringify({ z: [7, 8, 9].map(seedZ) }));
    const fromFile = ganvas(
      'arith',
      dir,
      '--a',
      '1,2,3',
      '--b',
      '4,5,6',
      '--c-z',
      path.join(out, 'c.json'),
      '--noise-seed',
      '5',
      '--out',
      path.join(out, 'c.png'),
    );
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'c.png')).equals(png)).toBe(true);
  });

  it('should reject bad arguments with one line', () => {
    const cases: [string[], RegExp][] = [
      [['arith', dir, '--a', '1', '--b', '2', '--c', '3'], /--out is required/],
      [['arith', dir, '--a', '1,x', '--out', '/tmp/x.png'], /--a must be comma-separated sample seeds/],
      [['arith', dir, '--a', '1', '--b', '2', '--expr', 'A * B', '--out', '/tmp/x.png'], /--expr: two concepts cannot be multiplied/],
      [['arith', dir, '--a', '1', '--a-z', 'f.json', '--out', '/tmp/x.png'], /give --a or --a-z, not both/],
    ];
    for (const [args, message] of cases) {
      const r = ganvas(...args);
      expect(r.status).toBe(2);
      expect(firstCliLine(r.stderr)).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
