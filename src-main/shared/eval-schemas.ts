/**
 * zod schemas for the evaluation methods of the contract (eval-types.ts has the data they
 * return). Limits keep a request within what this machine can finish: the linear classifier is
 * full-batch, so N is capped at 10,000 ("all" means up to that).
 */
import { z } from 'zod';

const seed = z.number().int().min(0).max(0xffffffff);
const step = z.number().int().min(0);

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
