/** The file readers on good, damaged and hostile inputs: one clear line each, and nothing run. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '../../src-main/engine/backend/tf';
import { loadImportSource } from '../../src-main/engine/import/files';
import { importModel, type ImportSource } from '../../src-main/engine/import/import-model';
import { mapStateDict } from '../../src-main/engine/import/map-state-dict';
import { PyGlobal, unpickle } from '../../src-main/engine/import/pickle';
import { importedCheckpointTensors } from '../../src-main/engine/import/to-checkpoint';
import { readTfjsModel } from '../../src-main/engine/import/tfjs-model';
import { readTorchStateDict } from '../../src-main/engine/import/torch-file';
import { readZip } from '../../src-main/engine/import/zip';
import { architectureFor, defaultModelConfig } from '../../src-main/engine/models/architecture';
import { buildGan, disposeGan, ganState } from '../../src-main/engine/models/gan';
import { generate } from '../../src-main/engine/models/network';

const DIR = path.join(__dirname, '../fixtures/import');
const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(DIR, f)));
const torchFile = (f: string, bytes = read(f)): ImportSource => ({ kind: 'torch', name: f, bytes });
const hyper = { learningRate: 2e-4, beta1: 0.5, beta2: 0.999, seed: 1 };

/** Runs `f` and returns its error message, failing if it does not throw an Error with one line. */
function oneLineError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).not.toMatch(/\n/);
    return msg;
  }
  throw new Error('expected an error');
}

describe('PyTorch files', () => {
  it('should read the same tensors from the zip, legacy and deflated-zip formats', () => {
    const zip = readTorchStateDict(read('dcgan-netG.pth'), 'zip');
    for (const other of ['dcgan-netG-legacy.pth', 'dcgan-netG-deflated.pth']) {
      const sd = readTorchStateDict(read(other), other);
      expect([...sd.keys()]).toEqual([...zip.keys()]);
      for (const [k, t] of zip) {
        expect(sd.get(k)!.shape).toEqual(t.shape);
        expect(sd.get(k)!.values).toEqual(t.values);
      }
    }
    expect(zip.get('main.0.weight')!.shape).toEqual([8, 16, 4, 4]);
    expect(zip.get('main.1.num_batches_tracked')).toMatchObject({ shape: [], dtype: 'int64' });
  });

  it("should find the state dict inside a training script's checkpoint dict and drop DataParallel's module. prefix", () => {
    const plain = importModel({ generator: torchFile('pytorch-gan-netG.pth'), discriminator: torchFile('pytorch-gan-netD.pth') });
    const wrapped = importModel({ generator: torchFile('pytorch-gan-netG.pth'), discriminator: torchFile('wrapped-netD.pth') });
    expect(wrapped.tensors).toEqual(plain.tensors);
    expect(wrapped.hasDiscriminator).toBe(true);
  });

  it('should refuse a pickle that calls os.system, naming it, and run nothing', () => {
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-evil-'));
    process.chdir(dir);
    try {
      const msg = oneLineError(() => readTorchStateDict(read('hostile-evil.pth'), 'hostile-evil.pth'));
      expect(msg).toMatch(/hostile-evil\.pth: refers to the Python object posix\.system.*nothing in it was run/);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('should explain that a whole pickled model is not a state dict', () => {
    expect(oneLineError(() => readTorchStateDict(read('hostile-whole-model.pth'), 'm.pth'))).toMatch(
      /__main__\.Generator.*save model\.state_dict\(\)/,
    );
  });

  it('should refuse every truncation of a zip file and of a legacy file with a clear line', () => {
    for (const [file, pattern] of [
      ['dcgan-netG.pth', /damaged or truncated zip/],
      ['dcgan-netG-deflated.pth', /damaged or truncated zip/],
      ['dcgan-netG-legacy.pth', /truncated|not a PyTorch file/],
    ] as const) {
      const bytes = read(file);
      for (let cut = 2; cut < bytes.length; cut += Math.ceil(bytes.length / 97)) {
        expect(oneLineError(() => readTorchStateDict(bytes.subarray(0, cut), file))).toMatch(pattern);
      }
      expect(oneLineError(() => readTorchStateDict(bytes.subarray(0, bytes.length - 1), file))).toMatch(pattern);
    }
  });

  it('should catch a flipped byte inside a zip entry by its CRC', () => {
    const bytes = read('dcgan-netG.pth').slice();
    const zip = readZip(bytes, 'x');
    const entry = zip.entries.get('dcgan-netG/data/0')!;
    bytes[entry.localOffset + 200] ^= 0xff;
    expect(oneLineError(() => readZip(bytes, 'x.pth').read('dcgan-netG/data/0'))).toMatch(/fails its CRC check/);
  });

  it('should say what a file is when it is not a PyTorch file', () => {
    expect(oneLineError(() => readTorchStateDict(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'a.png'))).toMatch(
      /a\.png is not a PyTorch file/,
    );
    const tar = new Uint8Array(1024);
    tar.set(Buffer.from('ustar'), 257);
    expect(oneLineError(() => readTorchStateDict(tar, 'old.pth'))).toMatch(/PyTorch < 0\.4 tar archive/);
  });
});

describe('pickle reader', () => {
  const opts = { file: 'p', globals: new Map([['collections.OrderedDict', new PyGlobal('collections', 'OrderedDict', () => null)]]) };
  const run = (bytes: number[]) => unpickle(Uint8Array.from(bytes), 0, opts);
  const str = (s: string) => [...Buffer.from(s)];

  it('should refuse an unknown global from STACK_GLOBAL (protocol 4) by name', () => {
    const p = [0x80, 4, 0x8c, 8, ...str('builtins'), 0x8c, 4, ...str('eval'), 0x93, 0x8c, 1, ...str('1'), 0x85, 0x52, 0x2e];
    expect(oneLineError(() => run(p))).toMatch(/builtins\.eval/);
  });

  it('should refuse calls of things that are not allowlisted callables, unknown opcodes and missing memo entries', () => {
    expect(oneLineError(() => run([0x80, 2, 0x29, 0x29, 0x52, 0x2e]))).toMatch(/not callable/);
    expect(oneLineError(() => run([0x80, 2, 0x8f, 0x2e]))).toMatch(/unsupported pickle opcode 0x8f/);
    expect(oneLineError(() => run([0x80, 2, 0x68, 7, 0x2e]))).toMatch(/memo 7/);
    expect(oneLineError(() => run([0x80, 2, 0x58, 0xff, 0, 0, 0, 0x41]))).toMatch(/truncated/);
    expect(oneLineError(() => run([0x80, 2, 0x4e]))).toMatch(/truncated/);
  });

  it('should read the values a state dict holds', () => {
    const p = [
      0x80,
      2,
      0x7d,
      0x71,
      0,
      0x28,
      0x58,
      1,
      0,
      0,
      0,
      ...str('a'),
      0x4b,
      7,
      0x55,
      1,
      ...str('b'),
      0x47,
      0x3f,
      0xf8,
      0,
      0,
      0,
      0,
      0,
      0,
      0x75,
      0x2e,
    ];
    const { value } = run(p);
    expect([...(value as { map: Map<string, unknown> }).map]).toEqual([
      ['a', 7],
      ['b', 1.5],
    ]);
  });
});

describe('mapping onto Ganvas layers', () => {
  it('should name the first key with the wrong shape', () => {
    const msg = oneLineError(() => importModel({ generator: torchFile('hostile-wrong-shape.pth') }));
    expect(msg).toBe(
      'hostile-wrong-shape.pth (pytorch/examples DCGAN generator): main.3.weight is 3x3x4x4, this architecture needs 16x8x4x4',
    );
  });

  it('should refuse a file of another family, and a discriminator of another family', () => {
    expect(oneLineError(() => importModel({ generator: torchFile('dcgan-netG.pth'), arch: 'pytorch-gan' }))).toMatch(
      /dcgan-netG\.pth is not a PyTorch-GAN DCGAN \(dcgan\.py\) generator \(its keys begin main\.0\.weight/,
    );
    expect(
      oneLineError(() => importModel({ generator: torchFile('dcgan-netG.pth'), discriminator: torchFile('montage-netD.pth') })),
    ).toMatch(/montage-netD\.pth is not a pytorch\/examples DCGAN discriminator/);
    expect(oneLineError(() => importModel({ generator: torchFile('dcgan-netD.pth') }))).toMatch(/looks like a discriminator/);
    expect(oneLineError(() => importModel({ generator: torchFile('dcgan-netG.pth'), zDim: 100 }))).toMatch(/takes z of length 8, not 100/);
  });

  it('should name a key no layer uses', () => {
    const sd = readTorchStateDict(read('montage-netD.pth'), 'd.pth');
    sd.set('model.12.weight', { shape: [1], values: new Float32Array(1), dtype: 'float32' });
    const model = defaultModelConfig({ size: 128, channels: 3, zDim: 8, ngf: 4, ndf: 4 });
    const arch = architectureFor('montage', model);
    const keys = [
      { layer: 'd1', weight: 'model.0.weight', bias: 'model.0.bias', layout: 'conv', bn: 'model.1' },
      { layer: 'd2', weight: 'model.3.weight', bias: 'model.3.bias', layout: 'conv', bn: 'model.4' },
      { layer: 'd3', weight: 'model.6.weight', bias: 'model.6.bias', layout: 'conv' },
      { layer: 'd4', weight: 'model.9.weight', bias: 'model.9.bias', layout: 'linear-from-map' },
    ] as const;
    expect(oneLineError(() => mapStateDict(sd, arch.discriminator, [...keys], 'd.pth'))).toBe(
      'd.pth: model.12.weight does not fit this architecture',
    );
  });

  it("should sample in the source's mode by default (batch statistics for the PyTorch families)", async () => {
    await tf.setBackend('cpu');
    const train = importModel({ generator: torchFile('dcgan-netG.pth') });
    const evalMode = importModel({ generator: torchFile('dcgan-netG.pth'), sampling: 'eval' });
    expect(train.sampling).toBe('train');
    expect(train.model.arch!.sampling).toBe('train');
    expect(train.notes.join(' ')).toMatch(/No discriminator/);
    const [a, b] = [train, evalMode].map((imported) => {
      const gan = buildGan(imported.model, hyper);
      const state = ganState(gan);
      for (const t of imported.tensors) state.get(t.name)!.assign(tf.tensor(t.values, t.shape));
      const z = tf.randomNormal([3, 8], 0, 1, 'float32', 5) as tf.Tensor2D;
      const out = [generate(gan.G, z, null, { training: false }), generate(gan.G, z, null, { training: true })].map((t) =>
        t.dataSync().slice(),
      );
      disposeGan(gan);
      return out;
    });
    expect(a[0]).toEqual(b[1]); // default inference = the eval import's batch-statistics pass
    expect(a[0]).not.toEqual(b[0]);
  });

  it('should build a full checkpoint: imported G, a seeded D when none was given, zero Adam state', async () => {
    await tf.setBackend('cpu');
    const imported = importModel({ generator: torchFile('pytorch-gan-netG.pth') });
    const records = importedCheckpointTensors(imported, hyper);
    const byName = new Map(records.map((r) => [r.name, r]));
    const fresh = buildGan(imported.model, hyper);
    expect([...byName.keys()].sort()).toEqual([...ganState(fresh).keys()].sort());
    expect(byName.get('G/g0.w')!.values).toEqual(imported.tensors.find((t) => t.name === 'G/g0.w')!.values);
    expect(byName.get('D/d1.w')!.values).toEqual(fresh.D.params.get('d1.w')!.dataSync());
    expect(byName.get('optG.m/g0.w')!.values.every((v) => v === 0)).toBe(true);
    disposeGan(fresh);
  });
});

describe('TF.js layers models', () => {
  const json = fs.readFileSync(path.join(DIR, 'acgan-generator/model.json'), 'utf8');
  const shard = read('acgan-generator/weights.bin');

  it('should need every weight file, whole', () => {
    expect(oneLineError(() => readTfjsModel(json, new Map(), 'g/model.json'))).toMatch(/needs the weight file weights\.bin next to it/);
    expect(oneLineError(() => readTfjsModel(json, new Map([['weights.bin', shard.subarray(0, 100)]]), 'g/model.json'))).toMatch(
      /end before weight/,
    );
    expect(oneLineError(() => readTfjsModel('{ nope', new Map(), 'g/model.json'))).toMatch(/not valid JSON/);
    expect(oneLineError(() => readTfjsModel(JSON.stringify({ format: 'graph-model' }), new Map(), 'g/model.json'))).toMatch(/graph model/);
  });

  it('should name a layer it cannot import', () => {
    const altered = json.replace('"class_name":"Conv2DTranspose"', '"class_name":"Conv3DTranspose"');
    const source: ImportSource = { kind: 'tfjs', name: 'g/model.json', modelJson: altered, shards: new Map([['weights.bin', shard]]) };
    expect(oneLineError(() => importModel({ generator: source }))).toMatch(
      /layer conv2d_transpose_Conv2DTranspose1 \(Conv3DTranspose\) is not supported/,
    );
  });
});

describe('loading import files from disk', () => {
  it('should read a .pth file, a model.json with its shards, or the folder holding it', () => {
    const pth = loadImportSource(path.join(DIR, 'dcgan-netG.pth'));
    expect(pth).toMatchObject({ kind: 'torch', name: 'dcgan-netG.pth' });
    for (const where of [path.join(DIR, 'acgan-generator/model.json'), path.join(DIR, 'acgan-generator')]) {
      const src = loadImportSource(where);
      expect(src.kind).toBe('tfjs');
      expect(src.kind === 'tfjs' && [...src.shards.keys()]).toEqual(['weights.bin']);
      expect(importModel({ generator: src }).model.numClasses).toBe(10);
    }
  });

  it('should refuse missing files and manifests that point outside their folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-tfjs-'));
    expect(oneLineError(() => loadImportSource(path.join(dir, 'nope.pth')))).toMatch(/does not exist/);
    expect(oneLineError(() => loadImportSource(dir))).toMatch(/folder without a model\.json/);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }] }));
    expect(oneLineError(() => loadImportSource(dir))).toMatch(/outside its folder/);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['w.bin'], weights: [] }] }));
    expect(oneLineError(() => loadImportSource(dir))).toMatch(/needs the weight file w\.bin/);
  });
});
