/**
 * The paper's DCGAN (Radford et al. 2016) for 28/32/64/128 images, derived from size/ngf/ndf.
 *
 * Paper guidelines (Sec. 3): strided (transposed) convolutions instead of pooling, BatchNorm in
 * both nets except G's output and D's input layer, ReLU in G with Tanh at the output,
 * LeakyReLU(0.2) in D, no fully connected hidden layers (G's first layer is the "project and
 * reshape" matmul, D's last a single-unit conv over the final feature map). No conv biases:
 * BatchNorm's beta makes them redundant, and the PyTorch reference (pytorch/examples dcgan) omits
 * them; at 64x64 with ngf = ndf = 64 these are exactly its netG and netD.
 */
import type { ImageSize, LayerSpec, ModelConfig } from '../../shared/types';

export const KERNEL = 4;

/** 28x28 starts from 7x7 (two x2 upsamplings); the power-of-two sizes from the paper's 4x4. */
export function baseSize(size: ImageSize): number {
  return size === 28 ? 7 : 4;
}

function upsamplings(size: ImageSize): number {
  return Math.round(Math.log2(size / baseSize(size)));
}

/** G: z (+ one-hot) -> base x base x (ngf * 2^(n-1)) -> ... -> size x size x channels. */
export function paperGenerator(cfg: ModelConfig): LayerSpec[] {
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
export function paperDiscriminator(cfg: ModelConfig): LayerSpec[] {
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
