/**
 * Importing networks trained elsewhere (PyTorch state dicts, TF.js layers models) and the
 * architecture options of new projects. Plain data: nothing here may import Node, Electron or
 * tfjs (the renderer bundles it).
 */
import type { SamplingMode } from './architecture';

/**
 * Which family a PyTorch file is: 'auto' reads it from the keys; dcgan64 = pytorch/examples
 * dcgan/main.py, pytorch-gan = PyTorch-GAN's dcgan.py, montage128 = *Make Your First GAN With
 * PyTorch*'s 128x128 net ('dcgan' and 'montage' are accepted as aliases by the engine).
 */
export const IMPORT_ARCHS = ['auto', 'dcgan64', 'pytorch-gan', 'montage128'] as const;
export type ImportArchChoice = (typeof IMPORT_ARCHS)[number];

export const SAMPLING_MODES = ['eval', 'train'] as const;
export const FAKE_LABEL_SCHEMES = ['real', 'random'] as const;

/** Where an imported project's weights came from (project.json `imported`). */
export interface ImportOrigin {
  /** 'dcgan' | 'pytorch-gan' | 'montage' | 'tfjs' */
  family: string;
  /** The family in words ("pytorch/examples DCGAN"). */
  label: string;
  /** File names (not paths) of the imported generator and discriminator. */
  generator: string;
  discriminator?: string;
  /** BatchNorm when sampling, as chosen at import (also in model.arch.sampling). */
  sampling: SamplingMode;
  /** What the user should know: a fresh D, a head left out, how z is drawn. */
  notes: string[];
  importedAt: string;
}

/** Cropped and resized thumbnails of the first images of a folder (the wizard's crop preview). */
export interface FolderPreview {
  /** Images found in the folder (sub-folders included). */
  total: number;
  images: { file: string; width: number; height: number; /** PNG, base64; absent when skipped. */ png?: string; reason?: string }[];
}
