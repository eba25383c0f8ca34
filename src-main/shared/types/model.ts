/**
 * Model architecture and training hyper-parameters.
 * Plain data: nothing here may import Node, Electron or tfjs (the renderer bundles it).
 */
import type { ArchitectureOptions, ModelArchitecture } from './architecture';
export type ImageSize = 28 | 32 | 64 | 128;
export type LatentDistribution = 'normal' | 'uniform';

export interface ModelConfig {
  size: ImageSize;
  channels: 1 | 3;
  /** Length of z (paper: 100). */
  zDim: number;
  /** Width of G's last hidden layer; deeper layers double it (paper: 128, PyTorch reference 64). */
  ngf: number;
  /** Width of D's first layer; deeper layers double it. */
  ndf: number;
  /** Number of classes for a conditional model (one-hot label fed to G and D); 0 = unconditional. */
  numClasses: number;
  latent: LatentDistribution;
  /** G and D layer by layer (architecture.ts); absent in projects made before it existed = the paper nets. */
  arch?: ModelArchitecture;
}

export interface TrainHyper {
  /** Adam learning rate (paper: 2e-4). */
  learningRate: number;
  /** Adam beta1 (paper: 0.5; 0.9 oscillated). */
  beta1: number;
  beta2: number;
  batchSize: number;
  /** Log a metrics row every N steps. */
  logEvery: number;
  /** Render the fixed-noise grid every N steps (and at each epoch end). */
  sampleEvery: number;
  /** Write a checkpoint every N steps... */
  checkpointEvery: number;
  /** ...and after this many minutes of training since the last one, whichever comes first (0: steps only). */
  checkpointMinutes: number;
  /** Rolling checkpoints: keep the last K... */
  keepLast: number;
  /** ...and every Nth checkpoint forever (0 = none). */
  keepEvery: number;
  /** Seed for weights, data order and noise; a resumed run continues the same stream. */
  seed: number;
  /**
   * Conditional models: the labels of the fake batch. 'real' (default): the real batch's labels;
   * 'random': uniformly drawn classes, as the CGAN of *Make Your First GAN With PyTorch* does.
   */
  fakeLabels?: FakeLabelScheme;
  /**
   * Decay of a moving average of G's weights kept beside G (0.999: about the last thousand steps;
   * Yazıcı et al. 2019); every sample, walk and evaluation then draws from the average. 0 or absent: off.
   */
  emaDecay?: number;
}

export type FakeLabelScheme = 'real' | 'random';

export interface LayerInfo {
  name: string;
  kind: string;
  outputShape: number[];
  params: number;
}

export interface NetworkSummary {
  layers: LayerInfo[];
  trainableParams: number;
}

export interface PresetInfo {
  id: string;
  label: string;
  model: ModelConfig;
  /** Training settings of the preset's source over Ganvas's defaults (montage128: lr 1e-4, batch 1). */
  train?: Partial<TrainHyper>;
  generator: NetworkSummary;
  discriminator: NetworkSummary;
  /** The architecture options as this preset's nets have them, and those that cannot change them. */
  options: PresetOptions;
}

/** What the wizard's architecture switches start at, per preset. */
export interface PresetOptions {
  defaults: Required<ArchitectureOptions>;
  /** Switches that do nothing here: no conv layers for biases, no BatchNorm to remove, nothing to pool or already pooled. */
  fixed: (keyof ArchitectureOptions)[];
}
