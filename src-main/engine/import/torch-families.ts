/**
 * The PyTorch DCGANs Ganvas imports, each as: how to recognise its state dict keys, how to read its
 * sizes and widths from the tensor shapes, and which keys feed which Ganvas layer.
 *   dcgan        pytorch/examples dcgan/main.py (netG/netD as `main` Sequentials; at 64x64 exactly
 *                Ganvas's paper64 net; 28/32/128 versions with the same pattern are read too)
 *   pytorch-gan  PyTorch-GAN implementations/dcgan/dcgan.py (l1 + conv_blocks; model + adv_layer)
 *   montage      the 128x128 GAN of *Make Your First GAN With PyTorch* (`model` Sequentials)
 */
import type { ImageSize, ModelConfig, SamplingMode } from '../../shared/types';
import { architectureFor, defaultModelConfig } from '../models/architecture';
import type { LayerKeys } from './map-state-dict';
import type { StateDict } from './torch-file';

export type TorchFamilyId = 'dcgan' | 'pytorch-gan' | 'montage';

export interface TorchFamily {
  id: TorchFamilyId;
  label: string;
  /** How the source samples (pytorch/examples, PyTorch-GAN and the book never call eval()). */
  sampling: SamplingMode;
  isGenerator(sd: StateDict): boolean;
  isDiscriminator(sd: StateDict): boolean;
  /** Size, channels, z and widths from G's shapes (and D's width when there is a D). */
  infer(g: StateDict, d: StateDict | null, file: string): ModelConfig;
  generatorKeys(model: ModelConfig): LayerKeys[];
  discriminatorKeys(model: ModelConfig): LayerKeys[];
}

const dims = (sd: StateDict, key: string, file: string): number[] => {
  const t = sd.get(key);
  if (!t) throw new Error(`${file} has no ${key}`);
  return t.shape;
};

function imageSize(size: number, file: string, family: string): ImageSize {
  if (size !== 28 && size !== 32 && size !== 64 && size !== 128)
    throw new Error(`${file}: this ${family} makes ${size}x${size} images; Ganvas handles 28, 32, 64 and 128`);
  return size;
}

/** Indices of `prefix.N.weight` keys with a 4-D weight, ascending. */
const convIndices = (sd: StateDict, prefix: string) =>
  [...sd.keys()]
    .map((k) => new RegExp(`^${prefix}\\.(\\d+)\\.weight$`).exec(k))
    .filter((m): m is RegExpExecArray => m !== null && sd.get(m[0])!.shape.length === 4)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);

const dcgan: TorchFamily = {
  id: 'dcgan',
  label: 'pytorch/examples DCGAN',
  sampling: 'train',
  isGenerator: (sd) =>
    sd.get('main.0.weight')?.shape.length === 4 &&
    sd.get('main.0.weight')!.shape[2] === sd.get('main.0.weight')!.shape[3] &&
    sd.has('main.1.running_mean'),
  isDiscriminator: (sd) => sd.get('main.0.weight')?.shape.length === 4 && !sd.has('main.1.weight'),
  infer(g, d, file) {
    const convs = convIndices(g, 'main');
    const [zDim, , base] = dims(g, 'main.0.weight', file);
    if (base !== 4 && base !== 7)
      throw new Error(`${file}: main.0.weight projects z to ${base}x${base}; a DCGAN starts at 4x4 (or 7x7 for 28x28)`);
    const last = dims(g, `main.${convs.at(-1)}.weight`, file);
    const size = imageSize(base * 2 ** (convs.length - 1), file, 'DCGAN');
    const ngf = last[0];
    const ndf = d ? dims(d, 'main.0.weight', file)[0] : ngf;
    return defaultModelConfig({ size, channels: last[1] as 1 | 3, zDim, ngf, ndf });
  },
  generatorKeys(model) {
    return architectureFor('paper', model).generator.map((l, i) => ({
      layer: l.name,
      weight: `main.${3 * i}.weight`,
      layout: i === 0 ? 'project-from-deconv' : 'deconv',
      ...(l.batchNorm && { bn: `main.${3 * i + 1}` }),
    }));
  },
  discriminatorKeys(model) {
    // main.0 conv, LeakyReLU; then (conv, BN, LeakyReLU) blocks from main.2; the head conv last.
    return architectureFor('paper', model).discriminator.map((l, i) => ({
      layer: l.name,
      weight: `main.${i === 0 ? 0 : 3 * i - 1}.weight`,
      layout: 'conv',
      ...(l.batchNorm && { bn: `main.${3 * i}` }),
    }));
  },
};

const pytorchGan: TorchFamily = {
  id: 'pytorch-gan',
  label: 'PyTorch-GAN DCGAN (dcgan.py)',
  sampling: 'train',
  isGenerator: (sd) => sd.has('l1.0.weight') && sd.has('conv_blocks.0.running_mean'),
  isDiscriminator: (sd) => sd.has('model.0.weight') && sd.has('adv_layer.0.weight'),
  infer(g, d, file) {
    const [rows, zDim] = dims(g, 'l1.0.weight', file);
    const wide = dims(g, 'conv_blocks.0.weight', file)[0];
    const init = Math.round(Math.sqrt(rows / wide));
    if (init * init * wide !== rows) throw new Error(`${file}: l1.0.weight has ${rows} rows, not ${wide} x a square`);
    const ngf = dims(g, 'conv_blocks.6.weight', file)[0];
    const channels = dims(g, 'conv_blocks.9.weight', file)[0] as 1 | 3;
    const ndf = d ? dims(d, 'model.0.weight', file)[0] : Math.max(1, Math.round(wide / 8)); // dcgan.py: 128 -> 16
    return defaultModelConfig({ size: imageSize(4 * init, file, 'PyTorch-GAN DCGAN'), channels, zDim, ngf, ndf });
  },
  generatorKeys: () => [
    { layer: 'g0', weight: 'l1.0.weight', bias: 'l1.0.bias', layout: 'project-from-linear', bn: 'conv_blocks.0' },
    { layer: 'g1', weight: 'conv_blocks.2.weight', bias: 'conv_blocks.2.bias', layout: 'conv', bn: 'conv_blocks.3' },
    { layer: 'g2', weight: 'conv_blocks.6.weight', bias: 'conv_blocks.6.bias', layout: 'conv', bn: 'conv_blocks.7' },
    { layer: 'g3', weight: 'conv_blocks.9.weight', bias: 'conv_blocks.9.bias', layout: 'conv' },
  ],
  discriminatorKeys: () => [
    { layer: 'd1', weight: 'model.0.weight', bias: 'model.0.bias', layout: 'conv' },
    { layer: 'd2', weight: 'model.3.weight', bias: 'model.3.bias', layout: 'conv', bn: 'model.6' },
    { layer: 'd3', weight: 'model.7.weight', bias: 'model.7.bias', layout: 'conv', bn: 'model.10' },
    { layer: 'd4', weight: 'model.11.weight', bias: 'model.11.bias', layout: 'conv', bn: 'model.14' },
    { layer: 'd5', weight: 'adv_layer.0.weight', bias: 'adv_layer.0.bias', layout: 'linear-from-map' },
  ],
};

const montage: TorchFamily = {
  id: 'montage',
  label: 'Make Your First GAN With PyTorch, 128x128 montage GAN',
  sampling: 'train',
  isGenerator: (sd) => sd.get('model.0.weight')?.shape.length === 2 && sd.get('model.3.weight')?.shape.length === 4,
  isDiscriminator: (sd) => sd.get('model.0.weight')?.shape.length === 4 && sd.get('model.9.weight')?.shape.length === 2,
  infer(g, d, file) {
    const zDim = dims(g, 'model.0.weight', file)[1];
    const ngf = dims(g, 'model.3.weight', file)[1];
    const channels = dims(g, 'model.9.weight', file)[1] as 1 | 3;
    const ndf = d ? dims(d, 'model.0.weight', file)[0] : ngf;
    return defaultModelConfig({ size: 128, channels, zDim, ngf, ndf });
  },
  generatorKeys: () => [
    { layer: 'g0', weight: 'model.0.weight', bias: 'model.0.bias', layout: 'project-from-linear' },
    { layer: 'g1', weight: 'model.3.weight', bias: 'model.3.bias', layout: 'deconv', bn: 'model.4' },
    { layer: 'g2', weight: 'model.6.weight', bias: 'model.6.bias', layout: 'deconv', bn: 'model.7' },
    { layer: 'g3', weight: 'model.9.weight', bias: 'model.9.bias', layout: 'deconv', bn: 'model.10' },
  ],
  discriminatorKeys: () => [
    { layer: 'd1', weight: 'model.0.weight', bias: 'model.0.bias', layout: 'conv', bn: 'model.1' },
    { layer: 'd2', weight: 'model.3.weight', bias: 'model.3.bias', layout: 'conv', bn: 'model.4' },
    { layer: 'd3', weight: 'model.6.weight', bias: 'model.6.bias', layout: 'conv' },
    { layer: 'd4', weight: 'model.9.weight', bias: 'model.9.bias', layout: 'linear-from-map' },
  ],
};

export const TORCH_FAMILIES: Record<TorchFamilyId, TorchFamily> = { dcgan, 'pytorch-gan': pytorchGan, montage };

/** The Ganvas architecture family each import family builds on. */
export const BUILDER: Record<TorchFamilyId, 'paper' | 'pytorch-gan' | 'montage'> = {
  dcgan: 'paper',
  'pytorch-gan': 'pytorch-gan',
  montage: 'montage',
};

/** The family whose generator keys these are, or an error listing the first keys. */
export function detectTorchFamily(g: StateDict, file: string): TorchFamily {
  const found = Object.values(TORCH_FAMILIES).filter((f) => f.isGenerator(g));
  if (found.length === 1) return found[0];
  const first = [...g.keys()].slice(0, 4).join(', ');
  if (Object.values(TORCH_FAMILIES).some((f) => f.isDiscriminator(g))) {
    throw new Error(
      `${file} looks like a discriminator (keys ${first}, ...): pass it as the discriminator and the generator's file as the generator`,
    );
  }
  throw new Error(
    `${file} is not a generator Ganvas recognises (its keys begin ${first}): pass --arch dcgan64, pytorch-gan or montage128 if it is one`,
  );
}
