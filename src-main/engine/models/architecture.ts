/**
 * DCGAN architectures as plain data (no tfjs), so the UI and `info` can show layer tables and
 * parameter counts without loading a backend.
 *
 * Paper guidelines (Radford et al. 2016, Sec. 3): strided (transposed) convolutions instead of
 * pooling, BatchNorm in both nets except G's output and D's input layer, ReLU in G with Tanh at
 * the output, LeakyReLU(0.2) in D, no fully connected hidden layers (G's first layer is the
 * "project and reshape" matmul, D's last a single-unit conv over the final feature map).
 * No conv biases: BatchNorm's beta makes them redundant, and the PyTorch reference omits them.
 */
import type { ImageSize, LayerInfo, ModelConfig, NetworkSummary, PresetInfo } from '../../shared/types';

export type Activation = 'relu' | 'tanh' | 'lrelu' | 'none';

export interface LayerSpec {
  /** Stable name used for parameters, checkpoints and the "look inside" views: g0..gN, d1..dN. */
  name: string;
  kind: 'project' | 'deconv' | 'conv';
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  padding: 'same' | 'valid';
  /** Spatial size of the output feature map (square). */
  outSize: number;
  batchNorm: boolean;
  activation: Activation;
}

export const KERNEL = 4;
export const LEAKY_SLOPE = 0.2;
export const INIT_STD = 0.02;

/** 28x28 starts from 7x7 (two x2 upsamplings); the power-of-two sizes from the paper's 4x4. */
export function baseSize(size: ImageSize): number {
  return size === 28 ? 7 : 4;
}

function upsamplings(size: ImageSize): number {
  return Math.round(Math.log2(size / baseSize(size)));
}

/** G: z (+ one-hot) -> base x base x (ngf * 2^(n-1)) -> ... -> size x size x channels. */
export function generatorSpec(cfg: ModelConfig): LayerSpec[] {
  const n = upsamplings(cfg.size);
  const base = baseSize(cfg.size);
  const width = (level: number) => cfg.ngf * 2 ** (n - 1 - level);
  const layers: LayerSpec[] = [
    {
      name: 'g0',
      kind: 'project',
      inChannels: cfg.zDim + cfg.numClasses,
      outChannels: width(0),
      kernel: base,
      stride: 1,
      padding: 'valid',
      outSize: base,
      batchNorm: true,
      activation: 'relu',
    },
  ];
  for (let i = 1; i <= n; i++) {
    const last = i === n;
    layers.push({
      name: `g${i}`,
      kind: 'deconv',
      inChannels: width(i - 1),
      outChannels: last ? cfg.channels : width(i),
      kernel: KERNEL,
      stride: 2,
      padding: 'same',
      outSize: base * 2 ** i,
      batchNorm: !last,
      activation: last ? 'tanh' : 'relu',
    });
  }
  return layers;
}

/** D: image (+ one-hot maps) -> size/2 x ndf -> ... -> base x base -> 1 logit. */
export function discriminatorSpec(cfg: ModelConfig): LayerSpec[] {
  const n = upsamplings(cfg.size);
  const base = baseSize(cfg.size);
  const layers: LayerSpec[] = [];
  let inChannels = cfg.channels + cfg.numClasses;
  for (let i = 1; i <= n; i++) {
    const out = cfg.ndf * 2 ** (i - 1);
    layers.push({
      name: `d${i}`,
      kind: 'conv',
      inChannels,
      outChannels: out,
      kernel: KERNEL,
      stride: 2,
      padding: 'same',
      outSize: cfg.size / 2 ** i,
      batchNorm: i > 1, // no BatchNorm on D's input layer (paper Sec. 3)
      activation: 'lrelu',
    });
    inChannels = out;
  }
  layers.push({
    name: `d${n + 1}`,
    kind: 'conv',
    inChannels,
    outChannels: 1,
    kernel: base,
    stride: 1,
    padding: 'valid',
    outSize: 1,
    batchNorm: false,
    activation: 'none',
  });
  return layers;
}

/** Shape of a layer's weight tensor: [in, base*base*out] for project, [k,k,in,out] for conv, [k,k,out,in] for deconv (tfjs conv2dTranspose layout). */
export function weightShape(layer: LayerSpec): number[] {
  switch (layer.kind) {
    case 'project':
      return [layer.inChannels, layer.outSize * layer.outSize * layer.outChannels];
    case 'conv':
      return [layer.kernel, layer.kernel, layer.inChannels, layer.outChannels];
    case 'deconv':
      return [layer.kernel, layer.kernel, layer.outChannels, layer.inChannels];
  }
}

function summarize(layers: LayerSpec[]): NetworkSummary {
  const infos: LayerInfo[] = layers.map((l) => {
    const weights = weightShape(l).reduce((a, b) => a * b, 1);
    const bn = l.batchNorm ? 2 * l.outChannels : 0; // gamma + beta; moving stats are not trainable
    const kind = `${l.kind}${l.kind === 'project' ? '' : ` ${l.kernel}x${l.kernel}/${l.stride}`}${l.batchNorm ? ' + BN' : ''} + ${l.activation}`;
    return { name: l.name, kind, outputShape: [l.outSize, l.outSize, l.outChannels], params: weights + bn };
  });
  return { layers: infos, trainableParams: infos.reduce((a, l) => a + l.params, 0) };
}

export const generatorSummary = (cfg: ModelConfig) => summarize(generatorSpec(cfg));
export const discriminatorSummary = (cfg: ModelConfig) => summarize(discriminatorSpec(cfg));

export function defaultModelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { size: 28, channels: 1, zDim: 100, ngf: 64, ndf: 64, numClasses: 0, latent: 'normal', ...overrides };
}

/** The presets offered in the wizard and `info`. */
export const PRESETS: { id: string; label: string; model: ModelConfig }[] = [
  { id: 'mnist', label: 'MNIST 28x28 grey (fast)', model: defaultModelConfig() },
  { id: 'small32', label: '32x32 colour', model: defaultModelConfig({ size: 32, channels: 3 }) },
  { id: 'paper64', label: '64x64 colour (paper LSUN/faces net)', model: defaultModelConfig({ size: 64, channels: 3 }) },
  { id: 'large128', label: '128x128 colour', model: defaultModelConfig({ size: 128, channels: 3, ngf: 32, ndf: 32 }) },
];

export function presetInfos(): PresetInfo[] {
  return PRESETS.map((p) => ({
    ...p,
    generator: generatorSummary(p.model),
    discriminator: discriminatorSummary(p.model),
  }));
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
}
