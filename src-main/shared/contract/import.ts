/** Importing networks trained elsewhere, and previewing a folder import's centre crop. */
import { z } from 'zod';
import { IMPORT_ARCHS, SAMPLING_MODES, type FolderPreview } from '../types/import';
import type { ProjectSummary } from '../types/project';
import { dir, pathString, text } from './common';
import { cropSize, datasetSourceSchema, imageSize } from './core';
import { inWorker } from './method';

export const importModelSchema = z.object({
  dir,
  name: text(200).optional(),
  /** A PyTorch state dict (.pth/.pt), or a TF.js layers model.json (its weight files beside it), or that folder. */
  generator: pathString('choose the generator file'),
  discriminator: pathString('choose the discriminator file').optional(),
  /** Which PyTorch family the files are (default: read from the keys). */
  arch: z.enum(IMPORT_ARCHS).optional(),
  /** The length of z the user expects; checked against the file. */
  zDim: z.number().int().min(2).max(1024).optional(),
  /** BatchNorm when sampling: running statistics ('eval') or the batch's own ('train'); default: as the source samples. */
  sampling: z.enum(SAMPLING_MODES).optional(),
  /** Training images for further training; without them the project is for exploring only. */
  dataset: datasetSourceSchema.optional(),
  /** Training batch size (default: the source's, else 64); a dataset must hold one batch. */
  batchSize: z.number().int().min(1).max(1024).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});

export const importContract = {
  /** A new project around imported weights (a step-0 checkpoint); progress as 'import.progress'. */
  importModel: inWorker<ProjectSummary>()(importModelSchema, {
    project: 'create',
    paths: { generator: 'read', discriminator: 'read', 'dataset.path': 'read' },
  }),
  /** The first images of a folder as the import would cut them (centre crop, then resize): the wizard's preview. */
  previewFolder: inWorker<FolderPreview>()(
    z.object({
      path: pathString('choose an image folder'),
      crop: cropSize.optional(),
      size: imageSize,
      channels: z.union([z.literal(1), z.literal(3)]),
      count: z.number().int().min(1).max(12),
    }),
    { paths: { path: 'read' } },
  ),
} as const;
