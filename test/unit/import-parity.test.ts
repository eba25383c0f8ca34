/**
 * Imported networks give the source framework's outputs: the fixtures (made by
 * test/fixtures/import/make_fixtures.py with PyTorch and make_acgan_fixture.mjs with tfjs-layers)
 * hold G(z) in eval mode (running BatchNorm statistics) and train mode (batch statistics) and
 * D's outputs; Ganvas must match them within 1e-4 of the family's output range, on cpu and wasm.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src-main/engine/backend/select';
import { tf } from '../../src-main/engine/backend/tf';
import { importModel, type ImportedModel, type ImportSource } from '../../src-main/engine/import/import-model';
import { buildGan, disposeGan, ganState, type Gan } from '../../src-main/engine/models/gan';
import { discriminate, generate } from '../../src-main/engine/models/network';
import { oneHot } from '../../src-main/engine/sampling/noise';

const DIR = path.join(__dirname, '../fixtures/import');
const hyper = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 1 };
const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(DIR, f)));
const torchFile = (f: string): ImportSource => ({ kind: 'torch', name: f, bytes: read(f) });
export const tfjsModel = (dir: string): ImportSource => ({
  kind: 'tfjs',
  name: `${dir}/model.json`,
  modelJson: fs.readFileSync(path.join(DIR, dir, 'model.json'), 'utf8'),
  shards: new Map([['weights.bin', read(`${dir}/weights.bin`)]]),
});

interface Manifest {
  zDim: number;
  size: number;
  channels: number;
  batch: number;
  range: [number, number];
  z: number[][];
  G: { eval: string; train: string };
  D: { eval: number[]; train: number[] };
}

/** uint16 references over [lo, hi] (quantisation error <= (hi - lo) / 131070). */
function dequantise(file: string, [lo, hi]: [number, number]): Float64Array {
  const q = new Uint16Array(fs.readFileSync(path.join(DIR, file)).buffer.slice(0));
  return Float64Array.from(q, (v) => lo + (v / 65535) * (hi - lo));
}

/** The fixtures' procedural D input: byte i = (i * 2654435761 mod 2^32) >> 24, as x/127.5 - 1 (Ganvas's pixels). */
function proceduralImages(n: number, size: number, channels: number): tf.Tensor4D {
  const v = new Float32Array(n * size * size * channels);
  for (let i = 0; i < v.length; i++) v[i] = Number(((BigInt(i) * 2654435761n) % 2n ** 32n) >> 24n) / 127.5 - 1;
  return tf.tensor4d(v, [n, size, size, channels]);
}

function ganFrom(imported: ImportedModel): Gan {
  const gan = buildGan(imported.model, hyper);
  const state = ganState(gan);
  tf.tidy(() => {
    for (const t of imported.tensors) state.get(t.name)!.assign(tf.tensor(t.values, t.shape));
  });
  return gan;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** G's output in the family's own range ([0, 1] nets are mapped back from Ganvas's [-1, 1]). */
function nativeOutput(gan: Gan, z: tf.Tensor2D, onehot: tf.Tensor2D | null, training: boolean, unit: boolean): Float32Array {
  return tf.tidy(() => {
    const y = generate(gan.G, z, onehot, { training });
    return (unit ? tf.div(tf.add(y, 1), 2) : y).dataSync() as Float32Array;
  });
}

const measured: string[] = [];
afterAll(() => console.log(`max |Ganvas - source| / output range:\n  ${measured.join('\n  ')}`));

describe.each(['cpu', 'wasm'] as const)('imported outputs on %s', (backend) => {
  it.each([
    ['dcgan', 'zip'],
    ['dcgan', 'legacy'],
    ['pytorch-gan', 'zip'],
    ['pytorch-gan', 'legacy'],
    ['montage', 'zip'],
    ['montage', 'legacy'],
  ])('should give PyTorch’s %s outputs (%s format) in eval and train mode', async (family, format) => {
    if (backend === 'cpu') await tf.setBackend('cpu');
    else await selectBackend('wasm');
    const m = JSON.parse(fs.readFileSync(path.join(DIR, `${family}.json`), 'utf8')) as Manifest;
    const suffix = format === 'zip' ? '' : '-legacy';
    const imported = importModel({
      generator: torchFile(`${family}-netG${suffix}.pth`),
      discriminator: torchFile(`${family}-netD${suffix}.pth`),
      sampling: 'eval',
    });
    expect(imported.family).toBe(family);
    expect(imported.model.zDim).toBe(m.zDim);
    const range = m.range[1] - m.range[0];
    const unit = m.range[0] === 0;
    const quantisation = range / 131070;
    const gan = ganFrom(imported);
    const before = tf.memory().numTensors;
    const z = tf.tensor2d(m.z);
    for (const mode of ['eval', 'train'] as const) {
      const diff = maxDiff(nativeOutput(gan, z, null, mode === 'train', unit), dequantise(m.G[mode], m.range));
      measured.push(`${backend} ${family} ${format} G ${mode}: ${(diff / range).toExponential(2)}`);
      expect(diff + quantisation).toBeLessThanOrEqual(1e-4 * range);
      const images = proceduralImages(m.batch, m.size, m.channels);
      const d = tf.tidy(() => tf.sigmoid(discriminate(gan.D, images, null, { training: mode === 'train' })).dataSync());
      images.dispose();
      const dDiff = maxDiff(d, m.D[mode]);
      measured.push(`${backend} ${family} ${format} D ${mode}: ${dDiff.toExponential(2)}`);
      expect(dDiff).toBeLessThanOrEqual(1e-4);
    }
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeGan(gan);
  });

  it('should give tfjs-layers’ mnist-acgan outputs (label embedded into z) in eval and train mode', async () => {
    if (backend === 'cpu') await tf.setBackend('cpu');
    else await selectBackend('wasm');
    const ref = JSON.parse(fs.readFileSync(path.join(DIR, 'acgan.json'), 'utf8'));
    const imported = importModel({ generator: tfjsModel('acgan-generator'), discriminator: tfjsModel('acgan-discriminator') });
    expect(imported.sampling).toBe('eval');
    expect(imported.model.numClasses).toBe(10);
    expect(imported.model.latent).toBe('uniform');
    expect(imported.notes.join(' ')).toMatch(/auxiliary classifier/);
    const gan = ganFrom(imported);
    const z = tf.tensor2d(ref.z, [ref.batch, ref.zDim]);
    const onehot = oneHot(ref.labels, 10);
    for (const mode of ['eval', 'train'] as const) {
      const expected = new Float32Array(fs.readFileSync(path.join(DIR, ref.G[mode])).buffer.slice(0));
      const diff = maxDiff(nativeOutput(gan, z, onehot, mode === 'train', false), expected);
      measured.push(`${backend} tfjs-acgan G ${mode}: ${(diff / 2).toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4 * 2);
    }
    const images = proceduralImages(ref.batch, 28, 1);
    const d = tf.tidy(() => tf.sigmoid(discriminate(gan.D, images, onehot, { training: false })).dataSync());
    measured.push(`${backend} tfjs-acgan D eval: ${maxDiff(d, ref.D.eval).toExponential(2)}`);
    expect(maxDiff(d, ref.D.eval)).toBeLessThanOrEqual(1e-4);
    tf.dispose([z, onehot, images]);
    disposeGan(gan);
  });
});
