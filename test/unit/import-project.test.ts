/**
 * Importing a model as a project, through the engine's contract (the path the CLI and the app
 * take): the weights become a step-0 checkpoint that every loader reads (sampling, walks,
 * inspection, withGanAt, training), a project without a dataset still explores and says plainly
 * what needs data, and bad files give one-line 'invalid' errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineHost } from '../../src-main/engine/api/engine-api';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { generate } from '../../src-main/engine/models/network';
import { Project } from '../../src-main/engine/project/project';
import { toByte } from '../../src-main/engine/sampling/grid';
import { Trainer } from '../../src-main/engine/train/trainer';
import { errorCode, fromWire } from '../../src-main/shared/errors';
import { imageFolder } from '../helpers/images';
import { tempDir } from '../helpers/projects';

const FIXTURES = path.join(__dirname, '../fixtures/import');
const fixture = (f: string) => path.join(FIXTURES, f);
const manifest = JSON.parse(fs.readFileSync(fixture('dcgan.json'), 'utf8')) as { z: number[][]; size: number; channels: number };
/** PyTorch's eval-mode G(z) of the dcgan fixture, uint16 over [-1, 1]. */
const reference = Float64Array.from(
  new Uint16Array(fs.readFileSync(fixture('dcgan-G-eval.u16')).buffer.slice(0)),
  (v) => -1 + (v / 65535) * 2,
);

let engine: EngineHost;
let work: string;

beforeAll(async () => {
  await selectBackend('wasm');
  engine = createEngine({ stateDir: tempDir('ganvas-state-'), channel: 'in-process' });
  work = tempDir('ganvas-import-');
});
afterAll(() => engine.dispose());

const failure = (p: Promise<unknown>) =>
  Promise.resolve()
    .then(() => p)
    .then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => fromWire(err),
    );

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('an imported PyTorch DCGAN without a dataset', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(work, 'dcgan');
    const stages: string[] = [];
    const off = engine.on('import.progress', (p) => p.stage && stages.push(p.stage));
    const summary = await engine.api.importModel({
      dir,
      generator: fixture('dcgan-netG.pth'),
      discriminator: fixture('dcgan-netD.pth'),
      sampling: 'eval',
    });
    off();
    expect(stages).toContain('Reading dcgan-netG.pth');
    expect(summary.checkpoints).toEqual([expect.objectContaining({ step: 0, pinned: true })]);
    expect(summary.config.dataset.source).toEqual({ kind: 'none' });
    expect(summary.config.imported).toMatchObject({
      family: 'dcgan',
      generator: 'dcgan-netG.pth',
      discriminator: 'dcgan-netD.pth',
      sampling: 'eval',
    });
    expect(summary.config.model.arch?.sampling).toBe('eval');
    expect((await engine.api.recentProjects({})).map((r) => r.dir)).toContain(summary.dir);
  });

  it('should load the imported weights as step 0 wherever a model is loaded (ganAt, withGanAt): PyTorch’s outputs', async () => {
    const project = Project.open(dir);
    expect(project.hasInitialCheckpoint()).toBe(true);
    const out = (G: Parameters<typeof generate>[0]) =>
      tf.tidy(() => generate(G, tf.tensor2d(manifest.z), null, { training: false }).dataSync());
    expect(maxDiff(out(project.ganAt().G), reference)).toBeLessThan(1e-4);
    const viaWith = await project.withGanAt(0, async (gan) => out(gan.G));
    expect(maxDiff(viaWith, reference)).toBeLessThan(1e-4);
  });

  it('should render the imported G through the contract (renderLatents) as PyTorch draws it', async () => {
    const [png] = await engine.api.renderLatents({ dir, rows: [{ z: manifest.z[0], label: null }] });
    const image = PNG.sync.read(Buffer.from(png, 'base64'));
    expect([image.width, image.height]).toEqual([manifest.size, manifest.size]);
    let worst = 0;
    for (let i = 0; i < manifest.size * manifest.size; i++)
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(image.data[i * 4 + c] - toByte(reference[i * 3 + c])));
    expect(worst).toBeLessThanOrEqual(1); // one byte of rounding
  });

  it('should compose latent arithmetic and directions without a dataset', async () => {
    const concept = (symbol: string, seeds: number[]) => ({ symbol, name: symbol, members: seeds.map((seed) => ({ seed })) });
    const result = await engine.api.arithCompose({
      dir,
      expression: 'A - B + C',
      concepts: [concept('A', [1, 2]), concept('B', [3]), concept('C', [4, 5])],
    });
    expect(result.grid).toHaveLength(9);
    const { z } = await engine.api.generate({ dir, count: 2, seed: 8 });
    const a = await engine.api.conceptCreate({ dir, name: 'a', members: [{ z: z[0] }] });
    const b = await engine.api.conceptCreate({ dir, name: 'b', members: [{ z: z[1] }] });
    const direction = await engine.api.arithDirection({ dir, a: a.id, b: b.id, base: { z: z[0], label: null }, strengths: [-1, 0, 1] });
    expect(direction.frames).toHaveLength(3);
  });

  it('should show filters, feature maps and walks without a dataset', async () => {
    const filters = await engine.api.inspectFilters({ dir, layer: 'g1' });
    expect(filters.step).toBe(0);
    expect(filters.grid.pngBase64.length).toBeGreaterThan(100);
    const maps = await engine.api.inspectFeatures({ dir, source: { kind: 'generated', seed: 3, index: 0 } });
    expect(maps.G?.length).toBeGreaterThan(0);
    expect(maps.D.length).toBeGreaterThan(0);
    const spec = {
      kind: 'path' as const,
      endpoints: [1, 2].map((seed) => ({ kind: 'seed' as const, seed })),
      mode: 'slerp' as const,
      framesPerSegment: 3,
    };
    const plan = await engine.api.walkPlan({ dir, spec });
    expect(plan.step).toBe(0);
    const frames = await engine.api.renderLatents({ dir, rows: plan.frames.map((f) => ({ z: f.z, label: null })) });
    expect(frames).toHaveLength(plan.frames.length);
    expect(new Set(frames).size).toBe(frames.length); // the walk moves
  });

  it('should say plainly that training, evaluations and real images need a dataset', async () => {
    for (const call of <(() => Promise<unknown>)[]>[
      () => engine.api.startTraining({ dir, moreSteps: 2 }),
      () => engine.api.datasetStats({ dir }),
      () => engine.api.evalMemorisation({ dir }),
      () => engine.api.evalFeatures({ dir, labels: [100] }),
      () => engine.api.inspectFeatures({ dir, source: { kind: 'real', index: 0 } }),
    ]) {
      const err = await failure(Promise.resolve().then(call));
      expect(`${err.code}: ${err.message}`).toMatch(/^invalid: .*has no training images \(its model was imported without a dataset\)/);
    }
  });
});

describe('importing with a dataset', () => {
  it('should keep training from the imported weights and keep step 0 through pruning and roll-back', async () => {
    const images = await imageFolder(path.join(work, 'faces'), { perClass: 64, width: 80, height: 72 });
    const dir = path.join(work, 'dcgan-data');
    const summary = await engine.api.importModel({
      dir,
      generator: fixture('dcgan-netG.pth'),
      dataset: { kind: 'folder', path: images, crop: 64 },
    });
    expect(summary.config.dataset).toMatchObject({ count: 64, source: { kind: 'folder', crop: 64 } });
    expect(summary.config.imported?.notes.join(' ')).toMatch(/No discriminator was given/);
    expect(summary.config.model.arch?.sampling).toBe('train'); // pytorch/examples samples in train mode
    const project = Project.open(dir);
    const imported = project.ganAt(0).G.params.get('g1.w')!.dataSync().slice();
    const trainer = Trainer.open(Project.open(dir), await selectBackend('wasm'));
    expect(trainer.step).toBe(0);
    expect(trainer.gan.G.params.get('g1.w')!.dataSync()).toEqual(imported);
    await trainer.run({ untilStep: 2 }, { stopRequested: () => false, whilePaused: async () => undefined });
    trainer.dispose();
    const after = Project.open(dir);
    expect(after.checkpointSteps()).toEqual([0, 2]);
    after.rollbackTo(0);
    expect(Project.open(dir).checkpointSteps()).toEqual([0]);
  });
});

describe('bad imports', () => {
  it.each([
    ['a file of another family', { generator: fixture('dcgan-netG.pth'), arch: 'montage128' as const }, /is not a .*montage.* generator/i],
    ['a hostile pickle', { generator: fixture('hostile-evil.pth') }, /not allowed|unknown global|refus/i],
    ['a missing file', { generator: path.join(FIXTURES, 'nope.pth') }, /does not exist/],
    ['the wrong z', { generator: fixture('dcgan-netG.pth'), zDim: 100 }, /takes z of length 8, not 100/],
    [
      'a discriminator of another family',
      { generator: fixture('dcgan-netG.pth'), discriminator: fixture('montage-netD.pth') },
      /is not a .* discriminator/,
    ],
  ])('should refuse %s with one line and write nothing', async (_name, payload, message) => {
    const dir = path.join(work, `bad-${Math.random().toString(36).slice(2)}`);
    const err = await failure(engine.api.importModel({ dir, ...payload }));
    expect(err.code).toBe('invalid');
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
    expect(fs.existsSync(path.join(dir, 'project.json'))).toBe(false);
  });

  it('should refuse a folder that already holds a project', async () => {
    const dir = path.join(work, 'dcgan');
    expect(errorCode(await failure(engine.api.importModel({ dir, generator: fixture('dcgan-netG.pth') })))).toBe('busy');
  });
});
