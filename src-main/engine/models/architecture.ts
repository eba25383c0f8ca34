/**
 * DCGAN architectures as plain data (no tfjs), so the UI and `info` can show layer tables and
 * parameter counts without loading a backend.
 *
 * A model's G and D are its `arch` layer lists when it has one (new projects, imported models,
 * the variant presets) and otherwise the paper nets derived from size/ngf/ndf (paper.ts), which
 * is how every project made before `arch` existed still opens with the same weights.
 */
import type { LayerSpec, ModelArchitecture, ModelConfig, PresetInfo, PresetOptions } from '../../shared/types';
import { summarize } from './layer-math';
import { paperDiscriminator, paperGenerator } from './paper';
import { ALL_PRESETS, PRESETS, type Preset } from './presets';
import { validateArchitecture } from './validate-arch';

export type { Activation, LayerSpec } from '../../shared/types';
export { baseSize, KERNEL } from './paper';
export { biasShape, embeddingShape, layerParams, weightShape } from './layer-math';
export { ALL_PRESETS, architectureFor, defaultModelConfig, PRESETS, presetModel, VARIANT_PRESETS } from './presets';

export const LEAKY_SLOPE = 0.2;
export const INIT_STD = 0.02;

export function generatorSpec(cfg: ModelConfig): LayerSpec[] {
  return cfg.arch?.generator ?? paperGenerator(cfg);
}

export function discriminatorSpec(cfg: ModelConfig): LayerSpec[] {
  return cfg.arch?.discriminator ?? paperDiscriminator(cfg);
}

/** The model's architecture, explicit: its own, or the paper nets it implies. */
export function modelArchitecture(cfg: ModelConfig): ModelArchitecture {
  return cfg.arch ?? { family: 'paper', generator: paperGenerator(cfg), discriminator: paperDiscriminator(cfg) };
}

/** `cfg` with its architecture written out, as new projects store it. */
export function withArchitecture(cfg: ModelConfig): ModelConfig {
  return { ...cfg, arch: modelArchitecture(cfg) };
}

export const generatorSummary = (cfg: ModelConfig) => summarize(generatorSpec(cfg));
export const discriminatorSummary = (cfg: ModelConfig) => summarize(discriminatorSpec(cfg));

/** The options as `arch` has them (see models/options.ts for what each switch does). */
export function presetOptions(arch: ModelArchitecture): PresetOptions {
  const { generator: G, discriminator: D } = arch;
  const convs = [...G, ...D].filter((l) => l.kind === 'conv' || l.kind === 'deconv');
  const head = D.at(-1);
  const defaults = {
    convBias: convs.some((l) => l.bias === true),
    gBatchNorm: G.some((l) => l.batchNorm),
    dBatchNorm: D.some((l) => l.batchNorm),
    dGlobalPool: head?.kind === 'linear' && head.globalPool === true,
  };
  const fixed: PresetOptions['fixed'] = [];
  if (convs.length === 0) fixed.push('convBias');
  // The switches only take BatchNorm away and only add pooling.
  if (!defaults.gBatchNorm) fixed.push('gBatchNorm');
  if (!defaults.dBatchNorm) fixed.push('dBatchNorm');
  if (defaults.dGlobalPool || (D.at(-2)?.outSize ?? 1) <= 1) fixed.push('dGlobalPool');
  return { defaults, fixed };
}

const infos = (presets: Preset[]): PresetInfo[] =>
  presets.map((p) => ({
    id: p.id,
    label: p.label,
    model: p.model,
    ...(p.train && { train: p.train }),
    generator: generatorSummary(p.model),
    discriminator: discriminatorSummary(p.model),
    options: presetOptions(modelArchitecture(p.model)),
  }));

/** The presets offered in the wizard and `info` (the paper nets). */
export function presetInfos(): PresetInfo[] {
  return infos(PRESETS);
}

/** Every preset, the sources' other nets included (pytorch-gan-mnist, montage128, mlp-mnist). */
export function allPresetInfos(): PresetInfo[] {
  return infos(ALL_PRESETS);
}

export function validateModelConfig(cfg: ModelConfig): void {
  if (![28, 32, 64, 128].includes(cfg.size)) throw new Error(`Unsupported image size ${cfg.size}: use 28, 32, 64 or 128`);
  if (cfg.channels !== 1 && cfg.channels !== 3) throw new Error(`Channels must be 1 or 3, got ${cfg.channels}`);
  for (const [k, v] of [
    ['z', cfg.zDim],
    ['ngf', cfg.ngf],
    ['ndf', cfg.ndf],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer, got ${v}`);
  }
  if (cfg.arch) validateArchitecture(cfg, cfg.arch);
}
