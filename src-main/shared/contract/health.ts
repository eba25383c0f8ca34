/**
 * Run health (issue 18): the label-free score per checkpoint, the notices, the best checkpoint,
 * and the data checks made before training. Scores of new checkpoints are made while training
 * (in the training host, within a share of its time) and announced as 'training.health'; these
 * methods read them, score what is left on demand, and check a folder before a project exists.
 */
import { z } from 'zod';
import type { DataCheckReport, FolderCheck, HealthReport, HealthScoreResult } from '../types/health';
import { dir, pathString } from './common';
import { imageSize } from './core';
import { stepSelectionSchema } from './eval';
import { inWorker, onEngine } from './method';

/** One scoring run or dataset check per project at a time; `healthCancel` stops it by this key. */
export const healthJobKey = (projectDir: string) => `health:${projectDir}`;
const healthJob = {
  key: (a: Record<string, unknown>) => healthJobKey(String(a.dir)),
  busy: 'Run health is already being scored or checked for this project; wait for it or cancel it',
};

/** One check per folder at a time; `checkFolderCancel` stops it by this key. */
export const folderCheckKey = (folder: string) => `check-folder:${folder}`;

export const checkFolderSchema = z.object({
  path: pathString('pick an image folder'),
  /** The size and channels the images will be trained at (default: as createProject's for a folder). */
  size: imageSize.optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  /** G's width: wider models want more images. */
  ngf: z.number().int().min(4).max(512).optional(),
});

export const healthContract = {
  /** Label-free records, current notices, logged health events, the best checkpoint and the saved data check. */
  healthReport: onEngine<HealthReport>()(z.object({ dir })),
  /** Scores checkpoints label-free (default: those not scored yet); progress as 'health.progress', results as 'training.health'. */
  healthScore: inWorker<HealthScoreResult>()(z.object({ dir, steps: stepSelectionSchema.optional() }), { job: healthJob }),
  /** Checks the project's own dataset (its imported images) and saves the report. */
  checkDataset: inWorker<DataCheckReport>()(z.object({ dir }), { job: healthJob }),
  /** Stops the project's scoring or dataset check (its call rejects as cancelled); false when none runs. */
  healthCancel: onEngine<boolean>()(z.object({ dir })),
  /** Checks an image folder before a project is made from it: count, duplicates, sizes, colour. */
  checkFolder: inWorker<FolderCheck>()(checkFolderSchema, {
    paths: { path: 'read' },
    job: { key: (a: Record<string, unknown>) => folderCheckKey(String(a.path)), busy: 'This folder is already being checked' },
  }),
  /** Stops the check of a folder; false when none runs. */
  checkFolderCancel: onEngine<boolean>()(z.object({ path: pathString('pick an image folder') })),
} as const;
