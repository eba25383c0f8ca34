/**
 * A network described layer by layer, as plain data: what project.json stores for new projects
 * and what an imported model is turned into. Nothing here may import Node, Electron or tfjs.
 *
 * A layer is: weights (+ optional bias), optional BatchNorm, a nonlinearity, optional dropout,
 * in that order unless `bnAfterActivation` (PyTorch-GAN's discriminator and tfjs-examples'
 * mnist-acgan put BatchNorm after the nonlinearity and dropout). Feature maps are NHWC; fully
 * connected layers produce 1x1 maps with `outChannels` channels so every layer has a feature map.
 */

export type Activation = 'relu' | 'lrelu' | 'tanh' | 'sigmoid' | 'gelu' | 'none';

/**
 * project: flatten, matmul, reshape to outSize x outSize x outChannels (G's "project and reshape").
 * linear:  flatten (or global-average-pool), matmul -> 1 x 1 x outChannels (fully connected).
 * conv / deconv: 2-D convolution / transposed convolution.
 */
export type LayerKind = 'project' | 'linear' | 'conv' | 'deconv';

export interface LayerSpec {
  /** Stable name used for parameters, checkpoints and the "look inside" views: g0..gN, d1..dN. */
  name: string;
  kind: LayerKind;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  /**
   * TensorFlow's 'same' / 'valid', or PyTorch's symmetric zero padding p (conv: p zeros on every
   * side; deconv: p rows/columns cropped from every side of the 'valid' output).
   */
  padding: 'same' | 'valid' | number;
  /** Spatial size of the output feature map (square; 1 for linear layers). */
  outSize: number;
  batchNorm: boolean;
  activation: Activation;
  /** Additive bias per output channel (default none: BatchNorm's beta makes it redundant). */
  bias?: boolean;
  /** BatchNorm epsilon (default 1e-5, PyTorch's; PyTorch-GAN passes 0.8, TF.js defaults to 1e-3). */
  bnEpsilon?: number;
  /** BatchNorm after the nonlinearity and dropout instead of before the nonlinearity. */
  bnAfterActivation?: boolean;
  /** Nearest-neighbour upsampling factor applied to the input before a conv. */
  upsample?: number;
  /** Dropout after the nonlinearity, only while training (identity at inference). */
  dropout?: { rate: number; /** Dropout2d: whole feature maps at once. */ spatial: boolean };
  /** linear: spatial size of the input map (its H*W*C values are flattened, HWC order). */
  inSize?: number;
  /** linear: average the input map over H and W first (global average pooling). */
  globalPool?: boolean;
  /**
   * First layer only, conditional models: how the one-hot label enters. Default: G concatenates it
   * to z, D appends constant label maps to the image. 'embed-multiply': z * Embedding(label)
   * (tfjs-examples mnist-acgan, `classes` rows). 'none': the network ignores labels (an AC-GAN
   * discriminator, which predicts the label instead).
   */
  condition?: { kind: 'embed-multiply'; classes: number } | { kind: 'none' };
  /** G's last layer / D's first: the network works on pixels in [0, 1] rather than Ganvas's [-1, 1]. */
  unitPixels?: boolean;
}

export type SamplingMode = 'eval' | 'train';

/** G and D as data. Absent from a project's model = the paper nets derived from size/ngf/ndf. */
export interface ModelArchitecture {
  /** Where it came from: 'paper', a preset id ('pytorch-gan-mnist', 'montage128', 'mlp-mnist') or an import family. */
  family: string;
  generator: LayerSpec[];
  discriminator: LayerSpec[];
  /**
   * BatchNorm when sampling: 'eval' uses the moving statistics (default, an image depends only on its
   * z); 'train' uses the batch's statistics, as pytorch/examples and the book sample.
   */
  sampling?: SamplingMode;
}

/** The architecture options the DCGAN sources discuss, applicable to any family. */
export interface ArchitectureOptions {
  /** Biases on every conv and transposed conv (default: the family's own choice). */
  convBias?: boolean;
  /** BatchNorm in G (the paper credits it with preventing G's collapse to one point). */
  gBatchNorm?: boolean;
  /** BatchNorm in D. */
  dBatchNorm?: boolean;
  /** Global average pooling before D's single-unit head (instead of a conv or linear over the whole map). */
  dGlobalPool?: boolean;
}
