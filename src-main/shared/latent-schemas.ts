/**
 * zod schemas for the latent-walk, gallery and export methods of the contract. Kept apart from
 * contract.ts because walks have many variants; the TS types they check live in types.ts.
 */
import { z } from 'zod';
import type { GallerySample, WalkEndpoint, WalkExportOptions, WalkSpec } from './types';

/** Most frames a walk may have: 64-frame paths through 32 points, with room to spare. */
export const MAX_WALK_FRAMES = 4096;
/** Rows per render call: small enough that a call returns in a fraction of a second. */
export const MAX_RENDER_ROWS = 64;

const seed = z.number().int().min(0).max(0xffffffff);
const classIndex = z.number().int().min(0);
export const latentVector = z.array(z.number().finite()).min(2, 'z needs at least 2 numbers').max(1024);

export const walkEndpointSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seed'), seed, classIndex: classIndex.optional() }),
  z.object({ kind: z.literal('z'), z: latentVector, label: classIndex.nullable().optional() }),
  z.object({ kind: z.literal('sample'), id: z.string().min(1) }),
  z.object({ kind: z.literal('concept'), id: z.string().min(1) }),
]);

const mode = z.enum(['linear', 'slerp']);
const framesPerSegment = z.number().int().min(1).max(512);

export const walkSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('path'),
    endpoints: z.array(walkEndpointSchema).min(2, 'pick at least two endpoints').max(64),
    mode,
    framesPerSegment,
    loop: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('random'),
    start: walkEndpointSchema,
    steps: z.number().int().min(1).max(1024),
    stepSize: z.number().positive().max(1),
    seed,
    mode,
    framesPerSegment,
  }),
  z.object({
    kind: z.literal('sweep'),
    start: walkEndpointSchema,
    dim: z.number().int().min(0),
    range: z.tuple([z.number().finite(), z.number().finite()]),
    frames: z.number().int().min(2).max(MAX_WALK_FRAMES),
  }),
  z.object({
    kind: z.literal('classes'),
    start: walkEndpointSchema,
    classes: z.array(classIndex).min(2, 'pick at least two classes').max(64),
    framesPerSegment,
    loop: z.boolean().optional(),
  }),
]);

/** One row to render: z and a class index or a soft label row (class interpolation). */
export const renderRowSchema = z.object({
  z: latentVector,
  label: z
    .union([classIndex, z.array(z.number().finite()).min(1)])
    .nullable()
    .optional(),
});

export const walkExportSchema = z.object({
  format: z.enum(['gif', 'png-strip', 'png-grid', 'json']),
  out: z.string().min(1, 'choose a file to export to'),
  fps: z.number().min(1).max(50),
  scale: z.number().int().min(1).max(16),
  pingPong: z.boolean().optional(),
  cols: z.number().int().min(1).max(256).optional(),
});

export const gallerySaveSchema = z.object({
  name: z.string().max(200).optional(),
  z: latentVector,
  label: classIndex.nullable(),
  pinned: z.boolean().optional(),
  source: z
    .object({ seed, index: z.number().int().min(0) })
    .nullable()
    .optional(),
});

// Compile-time checks that the schemas and the shared types agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const schemaTypeChecks: [
  Same<z.output<typeof walkEndpointSchema>, WalkEndpoint>,
  Same<z.output<typeof walkSpecSchema>, WalkSpec>,
  Same<z.output<typeof walkExportSchema>, WalkExportOptions>,
  Same<Pick<GallerySample, 'z' | 'label'>, Pick<z.output<typeof gallerySaveSchema>, 'z' | 'label'>>,
] = [true, true, true, true];
