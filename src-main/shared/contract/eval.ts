/**
 * Evaluate what was learned. Limits keep a request within what this machine can finish: the
 * linear classifier is full-batch, so N is capped at 10,000 ("all" means up to that). Long runs
 * go to the compute worker and report 'eval.progress'.
 */
import { z } from 'zod';
import type { EvalLogs, FeatureEvalResult, MemorisationResult, QualityResult } from '../types/eval';
import { dir, seed, step } from './common';
import { inWorker, onEngine } from './method';

/** 'latest' | 'all' | 'new' (not yet evaluated) | explicit checkpoint steps. */
export const stepSelectionSchema = z.union([z.enum(['latest', 'all', 'new']), z.array(step).min(1).max(1000)]);

export const featureEvalInputSchema = z.object({
  /** Labelled training set sizes N, e.g. [100, 1000, 'all']. */
  labels: z
    .array(z.union([z.number().int().min(2).max(10_000), z.literal('all')]))
    .min(1, 'choose at least one number of labelled examples')
    .max(8),
  testSize: z.number().int().min(50).max(10_000).optional(),
  loss: z.enum(['l2svm', 'logistic']).optional(),
  seed: seed.optional(),
  /** Checkpoint whose D is evaluated; default the newest. */
  step: step.optional(),
});

export const qualityInputSchema = z.object({
  steps: stepSelectionSchema.optional(),
  nReal: z.number().int().min(100).max(10_000).optional(),
  nFake: z.number().int().min(100).max(10_000).optional(),
  seed: seed.optional(),
  retrain: z.boolean().optional(),
  classifierSteps: z.number().int().min(10).max(20_000).optional(),
});

export const memorisationInputSchema = z.object({
  steps: stepSelectionSchema.optional(),
  samples: z.number().int().min(8).max(2048).optional(),
  reference: z.number().int().min(10).max(100_000).optional(),
  show: z.number().int().min(0).max(32).optional(),
  neighbours: z.number().int().min(1).max(8).optional(),
  seed: seed.optional(),
});

/** One evaluation per project at a time; `evalCancel` stops it by this key. */
export const evalJobKey = (projectDir: string) => `eval:${projectDir}`;
const evalJob = {
  key: (a: Record<string, unknown>) => evalJobKey(String(a.dir)),
  busy: 'An evaluation is already running for this project; wait for it or cancel it',
};

export const evalContract = {
  /** Everything evaluated so far (eval/*.jsonl) and whether the dataset has the labels the scores need. */
  evalLogs: onEngine<EvalLogs>()(z.object({ dir })),
  /** D as a feature extractor (paper Sec. 5.1): linear-classifier accuracy vs N, beside pixels and a random D. */
  evalFeatures: inWorker<FeatureEvalResult>()(featureEvalInputSchema.extend({ dir }), { job: evalJob }),
  /** Quality score per checkpoint: Fréchet distance in the features of a classifier trained on the project's labels. */
  evalQuality: inWorker<QualityResult>()(qualityInputSchema.extend({ dir }), { job: evalJob }),
  /** Nearest training images of generated samples (pixels and D features) and their distance statistics per checkpoint. */
  evalMemorisation: inWorker<MemorisationResult>()(memorisationInputSchema.extend({ dir }), { job: evalJob }),
  /** Stops the project's running evaluation (its call rejects as cancelled); false when none runs. */
  evalCancel: onEngine<boolean>()(z.object({ dir })),
} as const;
