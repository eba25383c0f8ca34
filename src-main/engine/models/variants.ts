/**
 * The other DCGANs of the sources, as layer lists (see shared/types/architecture.ts). Widths scale with
 * ngf/ndf so tests can build tiny versions; the presets use the originals' widths.
 */
import type { LayerSpec, ModelConfig } from '../../shared/types';

type Cfg = Pick<ModelConfig, 'size' | 'channels' | 'zDim' | 'ngf' | 'ndf' | 'numClasses'>;

const base = { stride: 1, padding: 'valid' as const, batchNorm: false, bias: true };

/**
 * PyTorch-GAN's implementations/dcgan/dcgan.py (ngf 64, ndf 16 give its widths 128/64 and
 * 16/32/64/128). G: Linear to 128 x (S/4)^2 + BatchNorm (no nonlinearity), then twice
 * Upsample x2 + conv 3x3 + BatchNorm(eps 0.8) + LeakyReLU(0.2), then conv 3x3 + tanh.
 * D: four conv 3x3/2 + LeakyReLU(0.2) + Dropout2d(0.25) blocks, BatchNorm(eps 0.8) after all but
 * the first, then Linear to one unit (its sigmoid is the loss's). Every conv and linear has a bias.
 * Needs S divisible by 16 (at 28 its D ends at 2x2 while its head expects 1x1): use 32.
 */
export function pytorchGanLayers(cfg: Cfg): { generator: LayerSpec[]; discriminator: LayerSpec[] } {
  const s = cfg.size;
  if (s % 16 !== 0)
    throw new Error(`The PyTorch-GAN DCGAN needs an image size divisible by 16 (its D has four stride-2 blocks): use 32, not ${s}`);
  const wide = 2 * cfg.ngf;
  const up = (name: string, inC: number, outC: number, outSize: number): LayerSpec => ({
    ...base,
    name,
    kind: 'conv',
    inChannels: inC,
    outChannels: outC,
    kernel: 3,
    padding: 1,
    upsample: 2,
    outSize,
    batchNorm: true,
    bnEpsilon: 0.8,
    activation: 'lrelu',
  });
  const generator: LayerSpec[] = [
    {
      ...base,
      name: 'g0',
      kind: 'project',
      inChannels: cfg.zDim + cfg.numClasses,
      outChannels: wide,
      kernel: s / 4,
      outSize: s / 4,
      batchNorm: true,
      activation: 'none',
    },
    up('g1', wide, wide, s / 2),
    up('g2', wide, cfg.ngf, s),
    {
      ...base,
      name: 'g3',
      kind: 'conv',
      inChannels: cfg.ngf,
      outChannels: cfg.channels,
      kernel: 3,
      padding: 1,
      outSize: s,
      activation: 'tanh',
    },
  ];
  const discriminator: LayerSpec[] = [];
  let inC = cfg.channels + cfg.numClasses;
  for (let i = 1; i <= 4; i++) {
    const out = cfg.ndf * 2 ** (i - 1);
    discriminator.push({
      ...base,
      name: `d${i}`,
      kind: 'conv',
      inChannels: inC,
      outChannels: out,
      kernel: 3,
      stride: 2,
      padding: 1,
      outSize: s / 2 ** i,
      activation: 'lrelu',
      dropout: { rate: 0.25, spatial: true },
      ...(i > 1 && { batchNorm: true, bnEpsilon: 0.8, bnAfterActivation: true }),
    });
    inC = out;
  }
  discriminator.push({
    ...base,
    name: 'd5',
    kind: 'linear',
    inChannels: inC,
    inSize: s / 16,
    outChannels: 1,
    kernel: 1,
    outSize: 1,
    activation: 'none',
  });
  return { generator, discriminator };
}

/**
 * The 128x128 "montage" GAN of *Make Your First GAN With PyTorch* (ngf = ndf = 256 are the book's).
 * G: Linear 100 -> 3x11x11 + GELU, then transposed convs 8x8/2 to 28, 62 and (padding 1) 128, each
 * with BatchNorm, GELU between them, sigmoid out: pixels in [0, 1]. D: convs 8x8/2 to 61, 27 and
 * 10 (the last to 3 maps), BatchNorm on the first two, GELU after each, Linear 300 -> 1.
 */
export function montageLayers(cfg: Cfg): { generator: LayerSpec[]; discriminator: LayerSpec[] } {
  if (cfg.size !== 128) throw new Error(`The montage GAN is built for 128x128 images, not ${cfg.size}`);
  const k = 8;
  const deconv = (name: string, inC: number, outC: number, outSize: number, padding: number): LayerSpec => ({
    ...base,
    name,
    kind: 'deconv',
    inChannels: inC,
    outChannels: outC,
    kernel: k,
    stride: 2,
    padding,
    outSize,
    batchNorm: true,
    activation: 'gelu',
  });
  const conv = (name: string, inC: number, outC: number, outSize: number, bn: boolean): LayerSpec => ({
    ...base,
    name,
    kind: 'conv',
    inChannels: inC,
    outChannels: outC,
    kernel: k,
    stride: 2,
    padding: 0,
    outSize,
    batchNorm: bn,
    activation: 'gelu',
  });
  return {
    generator: [
      {
        ...base,
        name: 'g0',
        kind: 'project',
        inChannels: cfg.zDim + cfg.numClasses,
        outChannels: 3,
        kernel: 11,
        outSize: 11,
        activation: 'gelu',
      },
      deconv('g1', 3, cfg.ngf, 28, 0),
      deconv('g2', cfg.ngf, cfg.ngf, 62, 0),
      { ...deconv('g3', cfg.ngf, cfg.channels, 128, 1), activation: 'sigmoid', unitPixels: true },
    ],
    discriminator: [
      { ...conv('d1', cfg.channels + cfg.numClasses, cfg.ndf, 61, true), unitPixels: true },
      conv('d2', cfg.ndf, cfg.ndf, 27, true),
      conv('d3', cfg.ndf, 3, 10, false),
      { ...base, name: 'd4', kind: 'linear', inChannels: 3, inSize: 10, outChannels: 1, kernel: 1, outSize: 1, activation: 'none' },
    ],
  };
}

/**
 * The fully connected GAN baseline of PyTorch-GAN's implementations/gan/gan.py (ngf 128, ndf 256
 * give its widths). G: Linear to 128 + LeakyReLU, three Linear + BatchNorm1d(eps 0.8) + LeakyReLU
 * blocks to 256, 512, 1024, then Linear to S*S*C + tanh. D: Linear 512, 256 with LeakyReLU, then 1.
 */
export function mlpLayers(cfg: Cfg): { generator: LayerSpec[]; discriminator: LayerSpec[] } {
  const linear = (name: string, inC: number, outC: number, extra: Partial<LayerSpec> = {}): LayerSpec => ({
    ...base,
    name,
    kind: 'linear',
    inChannels: inC,
    outChannels: outC,
    kernel: 1,
    outSize: 1,
    activation: 'lrelu',
    ...extra,
  });
  const g = cfg.ngf;
  const bn = { batchNorm: true, bnEpsilon: 0.8 };
  const d = cfg.ndf;
  return {
    generator: [
      linear('g0', cfg.zDim + cfg.numClasses, g),
      linear('g1', g, 2 * g, bn),
      linear('g2', 2 * g, 4 * g, bn),
      linear('g3', 4 * g, 8 * g, bn),
      linear('g4', 8 * g, cfg.channels, { kind: 'project', kernel: cfg.size, outSize: cfg.size, activation: 'tanh' }),
    ],
    discriminator: [
      linear('d1', cfg.channels + cfg.numClasses, 2 * d, { inSize: cfg.size }),
      linear('d2', 2 * d, d),
      linear('d3', d, 1, { activation: 'none' }),
    ],
  };
}
