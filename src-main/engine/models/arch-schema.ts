/**
 * zod schema of a stored architecture (model.arch in project.json). Shape only: the structural
 * checks (channels chain, sizes) are validateArchitecture's, run when the project is used.
 */
import { z } from 'zod';

// Bounded like the rest of project.json: a hostile file cannot ask for a 1e9-wide layer.
const positiveInt = z.number().int().positive().max(65536);

export const layerSpecSchema = z.object({
  name: z.string().min(1).max(32),
  kind: z.enum(['project', 'linear', 'conv', 'deconv']),
  inChannels: positiveInt,
  outChannels: positiveInt,
  kernel: positiveInt,
  stride: positiveInt,
  padding: z.union([z.literal('same'), z.literal('valid'), z.number().int().min(0)]),
  outSize: positiveInt,
  batchNorm: z.boolean(),
  activation: z.enum(['relu', 'lrelu', 'tanh', 'sigmoid', 'gelu', 'none']),
  bias: z.boolean().optional(),
  bnEpsilon: z.number().positive().optional(),
  bnAfterActivation: z.boolean().optional(),
  upsample: positiveInt.optional(),
  dropout: z.object({ rate: z.number().min(0).lt(1), spatial: z.boolean() }).optional(),
  inSize: positiveInt.optional(),
  globalPool: z.boolean().optional(),
  condition: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('embed-multiply'), classes: positiveInt }),
      z.object({ kind: z.literal('none') }),
    ])
    .optional(),
  unitPixels: z.boolean().optional(),
});

export const architectureSchema = z.object({
  family: z.string().max(64),
  generator: z.array(layerSpecSchema).min(1).max(64),
  discriminator: z.array(layerSpecSchema).min(1).max(64),
  sampling: z.enum(['eval', 'train']).optional(),
});
