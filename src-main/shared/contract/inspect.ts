/** Look inside the networks (paper Sec. 6); all from the newest checkpoint, in the compute worker. */
import { z } from 'zod';
import type {
  FeatureMaps,
  FilterImage,
  ForgetAnnotations,
  ForgetFit,
  ForgetRender,
  GuidedBackprop,
  InspectLayers,
  InspectSource,
  TopActivating,
} from '../types/inspect';
import { dir, seed, type Same } from './common';
import { inWorker, onEngine } from './method';

const index = z.number().int().min(0);
export const layerName = z
  .string()
  .max(16)
  .regex(/^[gd]\d+$/, 'a layer is named like g1 or d2');

export const inspectSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('generated'), seed, index: index.max(4095), classIndex: index.optional() }),
  z.object({ kind: z.literal('real'), index }),
]);

export const filtersInputSchema = z.object({
  layer: layerName,
  norm: z.enum(['tile', 'layer']).optional(),
  /** First output / input channel shown and how many (big layers are paged). */
  outStart: index.optional(),
  inStart: index.optional(),
  maxOut: z.number().int().min(1).max(512).optional(),
  maxIn: z.number().int().min(1).max(512).optional(),
  scale: z.number().int().min(1).max(16).optional(),
});

export const topActivatingInputSchema = z.object({
  net: z.enum(['G', 'D']),
  layer: layerName,
  channel: index,
  source: z.enum(['generated', 'real']),
  rank: z.enum(['mean', 'max']).optional(),
  pool: z.number().int().min(1).max(2048).optional(),
  top: z.number().int().min(1).max(64).optional(),
  seed: seed.optional(),
});

export const guidedInputSchema = z.object({
  channel: index,
  pool: z.number().int().min(1).max(2048).optional(),
  top: z.number().int().min(1).max(32).optional(),
  seed: seed.optional(),
});

const coord = z.number().finite().min(0).max(1024);
export const forgetBoxSchema = z
  .object({ x0: coord, y0: coord, x1: coord, y1: coord })
  .refine((b) => b.x1 > b.x0 && b.y1 > b.y0, 'a box needs x0 < x1 and y0 < y1');

export const forgetSampleSchema = z.object({
  seed,
  index: index.max(4095),
  classIndex: index.optional(),
  boxes: z.array(forgetBoxSchema).max(64),
});

export const forgetAnnotationsSchema = z.object({
  version: z.literal(1),
  layer: layerName.nullable(),
  samples: z.array(forgetSampleSchema).max(1024),
});

export const forgetFitInputSchema = z.object({
  layer: layerName.optional(),
  samples: z.array(forgetSampleSchema).min(1, 'draw at least one box').max(1024),
  threshold: z.number().finite().optional(),
  l2: z.number().min(0).max(100).optional(),
});

export const forgetRenderInputSchema = z.object({
  layer: layerName.optional(),
  drop: z.array(index).max(4096),
  seed,
  count: z.number().int().min(1).max(64),
  classIndex: index.optional(),
  scale: z.number().int().min(1).max(8).optional(),
});

export const inspectContract = {
  /** G's and D's layers, and the default layer for forgetting. */
  inspectLayers: onEngine<InspectLayers>()(z.object({ dir })),
  /** A layer's learned kernels as tiles. */
  inspectFilters: inWorker<FilterImage>()(filtersInputSchema.extend({ dir })),
  /** Every layer's activations for one generated or real sample. */
  inspectFeatures: inWorker<FeatureMaps>()(z.object({ dir, source: inspectSourceSchema })),
  /** The samples of a pool that excite one channel most. */
  inspectTopActivating: inWorker<TopActivating>()(topActivatingInputSchema.extend({ dir })),
  /** Guided backpropagation of a channel of D's last conv layer, trained vs random D (paper Fig. 5). */
  inspectGuided: inWorker<GuidedBackprop>()(guidedInputSchema.extend({ dir })),
  /** The boxes saved by the forgetting view (empty when none). */
  forgetAnnotations: onEngine<ForgetAnnotations>()(z.object({ dir })),
  saveForgetAnnotations: onEngine<ForgetAnnotations>()(z.object({ dir, annotations: forgetAnnotationsSchema })),
  /** Logistic regression on G's activations: which feature maps predict "inside a box" (paper Sec. 6.3.1). */
  forgetFit: inWorker<ForgetFit>()(forgetFitInputSchema.extend({ dir })),
  /** Samples with the same z with and without the given feature maps of a G layer zeroed. */
  forgetRender: inWorker<ForgetRender>()(forgetRenderInputSchema.extend({ dir })),
} as const;

export const inspectSchemaChecks: [
  Same<z.output<typeof inspectSourceSchema>, InspectSource>,
  Same<z.output<typeof forgetAnnotationsSchema>, ForgetAnnotations>,
] = [true, true];
