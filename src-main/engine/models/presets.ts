/**
 * Named starting points: the paper nets at 28/32/64/128 (the presets the wizard offers today) and
 * the other DCGANs of the sources, each with the training settings its source used.
 */
import type { ArchitectureOptions, ModelArchitecture, ModelConfig, TrainHyper } from '../../shared/types';
import { applyArchitectureOptions } from './options';
import { paperDiscriminator, paperGenerator } from './paper';
import { montageLayers, mlpLayers, pytorchGanLayers } from './variants';

export type ArchitectureFamily = 'paper' | 'pytorch-gan' | 'montage' | 'mlp';

export const ARCHITECTURE_FAMILIES: readonly ArchitectureFamily[] = ['paper', 'pytorch-gan', 'montage', 'mlp'];

export interface Preset {
  id: string;
  label: string;
  model: ModelConfig;
  /** Training settings of the preset's source, over Ganvas's defaults. */
  train?: Partial<TrainHyper>;
}

export function defaultModelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { size: 28, channels: 1, zDim: 100, ngf: 64, ndf: 64, numClasses: 0, latent: 'normal', ...overrides };
}

/**
 * G and D of `family` for `cfg` (its size, channels, z, widths and classes), with `options` applied.
 * Call it again whenever numClasses changes (it sets the first layers' input channels).
 */
export function architectureFor(family: ArchitectureFamily, cfg: ModelConfig, options: ArchitectureOptions = {}): ModelArchitecture {
  const layers =
    family === 'paper'
      ? { generator: paperGenerator(cfg), discriminator: paperDiscriminator(cfg) }
      : family === 'pytorch-gan'
        ? pytorchGanLayers(cfg)
        : family === 'montage'
          ? montageLayers(cfg)
          : family === 'mlp'
            ? mlpLayers(cfg)
            : null;
  if (!layers) throw new Error(`Unknown architecture '${family}': use ${ARCHITECTURE_FAMILIES.join(', ')}`);
  return { family, ...applyArchitectureOptions(layers, options) };
}

/** The presets the wizard and `info` offer today (the paper nets; createProject builds them from size/ngf/ndf). */
export const PRESETS: Preset[] = [
  { id: 'mnist', label: 'MNIST 28x28 grey (fast)', model: defaultModelConfig() },
  { id: 'small32', label: '32x32 colour', model: defaultModelConfig({ size: 32, channels: 3 }) },
  { id: 'paper64', label: '64x64 colour (paper LSUN/faces net)', model: defaultModelConfig({ size: 64, channels: 3 }) },
  { id: 'large128', label: '128x128 colour', model: defaultModelConfig({ size: 128, channels: 3, ngf: 32, ndf: 32 }) },
];

function variant(family: ArchitectureFamily, cfg: Partial<ModelConfig>): ModelConfig {
  const model = defaultModelConfig(cfg);
  return { ...model, arch: architectureFor(family, model) };
}

/** The sources' other nets, each with its own architecture description (model.arch). */
export const VARIANT_PRESETS: Preset[] = [
  {
    id: 'pytorch-gan-mnist',
    label: 'PyTorch-GAN dcgan.py: upsample + 3x3 conv, 32x32 grey (MNIST resized to 32)',
    model: variant('pytorch-gan', { size: 32, channels: 1, ngf: 64, ndf: 16 }),
    // dcgan.py: Adam(lr 0.0002, betas (0.5, 0.999)), batch 64: Ganvas's defaults.
  },
  {
    id: 'montage128',
    label: 'Make Your First GAN: 128x128 colour faces, 8x8 kernels, GELU, pixels in [0, 1]',
    model: variant('montage', { size: 128, channels: 3, ngf: 256, ndf: 256 }),
    // The book: Adam(lr 0.0001) with PyTorch's default betas, one image per step.
    train: { learningRate: 1e-4, beta1: 0.9, beta2: 0.999, batchSize: 1 },
  },
  {
    id: 'mlp-mnist',
    label: 'Fully connected GAN baseline (PyTorch-GAN gan.py), 28x28 grey',
    model: variant('mlp', { size: 28, channels: 1, ngf: 128, ndf: 256 }),
  },
];

export const ALL_PRESETS: Preset[] = [...PRESETS, ...VARIANT_PRESETS];

/**
 * The model and training settings of preset `id` for a dataset with `numClasses` classes, with
 * options applied (new projects store the resulting model.arch).
 */
export function presetModel(
  id: string,
  overrides: { numClasses?: number; zDim?: number; latent?: ModelConfig['latent'] } = {},
  options: ArchitectureOptions = {},
): { model: ModelConfig; train: Partial<TrainHyper> } {
  const preset = ALL_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`Unknown preset '${id}': use ${ALL_PRESETS.map((p) => p.id).join(', ')}`);
  const { arch, ...rest } = preset.model;
  const model: ModelConfig = { ...rest, ...overrides };
  model.arch = architectureFor((arch?.family as ArchitectureFamily | undefined) ?? 'paper', model, options);
  return { model, train: { ...preset.train } };
}
