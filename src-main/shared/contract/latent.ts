/**
 * Latent explorer: the sample gallery, walks (paper Fig. 4) and their exports. Walks have many
 * variants, so their schemas are spelled out here; the TS types they check live in types/latent.ts.
 */
import { z } from 'zod';
import type { GalleryProjection } from '../types/invert';
import type { GallerySample, GalleryTile, WalkEndpoint, WalkExportOptions, WalkExportResult, WalkPlan, WalkSpec } from '../types/latent';
import { checkpointChoice, classIndex, dir, id, latentVector, pathString, seed, text, type Same } from './common';
import { inWorker, onEngine } from './method';
import { MAX_RENDER_ROWS, MAX_WALK_FRAMES } from '../limits';

export { MAX_RENDER_ROWS, MAX_WALK_FRAMES } from '../limits';

export const walkEndpointSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('seed'), seed, classIndex: classIndex.optional() }),
  z.object({ kind: z.literal('z'), z: latentVector, label: classIndex.nullable().optional() }),
  z.object({ kind: z.literal('sample'), id }),
  z.object({ kind: z.literal('concept'), id }),
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
    .union([classIndex, z.array(z.number().finite()).min(1).max(4096)])
    .nullable()
    .optional(),
});

export const walkExportSchema = z.object({
  format: z.enum(['gif', 'mp4', 'webm', 'png-strip', 'png-grid', 'json']),
  out: pathString('choose a file to export to'),
  fps: z.number().min(1).max(50),
  scale: z.number().int().min(1).max(16),
  pingPong: z.boolean().optional(),
  cols: z.number().int().min(1).max(256).optional(),
});

/** Base64 text of at most `max` characters (images sent with a call). */
export const base64 = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

/** What a gallery entry made by projecting an image keeps (types/invert.ts GalleryProjection). */
export const galleryProjectionSchema = z.object({
  version: z.literal(1),
  /** The projected image at model size: a 64x64 RGB PNG is ~12 KB, so gallery.json stays small. */
  sourcePng: base64(1024 * 1024).pipe(z.string().min(1)),
  sourceName: text(255),
  pixelError: z.number().finite().min(0),
  psnr: z.number(),
  perceptualError: z.number().finite().nullable(),
  step: z.number().int().min(0),
});

export const gallerySaveSchema = z.object({
  name: text(200).optional(),
  z: latentVector,
  label: classIndex.nullable(),
  pinned: z.boolean().optional(),
  source: z
    .object({ seed, index: z.number().int().min(0) })
    .nullable()
    .optional(),
  projection: galleryProjectionSchema.optional(),
});

/** The job key of an export: `cancelExport({ id })` finds it by this. */
export const exportJobKey = (id: string) => `export:${id}`;

export const latentContract = {
  /** Samples saved in the project's gallery (gallery.json), pinned first. */
  galleryList: onEngine<GallerySample[]>()(z.object({ dir })),
  /** `count` fresh tiles for `seed`: tile i is tile i of `generate({ seed })`, with its z, label and PNG. */
  galleryTiles: inWorker<GalleryTile[]>()(
    z.object({
      dir,
      seed,
      count: z.number().int().min(1).max(64),
      classIndex: classIndex.optional(),
      checkpoint: checkpointChoice.optional(),
    }),
  ),
  gallerySave: onEngine<GallerySample>()(z.object({ dir, sample: gallerySaveSchema })),
  /** Rename and/or pin a saved sample. */
  galleryUpdate: onEngine<GallerySample>()(z.object({ dir, id, name: text(200).optional(), pinned: z.boolean().optional() })),
  /** Deletes a saved sample; returns the gallery left. */
  galleryDelete: onEngine<GallerySample[]>()(z.object({ dir, id })),
  /** One PNG (base64) per row, from the newest checkpoint: walk frames, saved samples. */
  renderLatents: inWorker<string[]>()(
    z.object({
      dir,
      rows: z.array(renderRowSchema).min(1).max(MAX_RENDER_ROWS),
      scale: z.number().int().min(1).max(8).optional(),
      checkpoint: checkpointChoice.optional(),
    }),
  ),
  /** Resolves a walk into its frames (z + soft label each); render them with renderLatents. */
  walkPlan: inWorker<WalkPlan>()(z.object({ dir, spec: walkSpecSchema, checkpoint: checkpointChoice.optional() })),
  /**
   * Renders a walk and writes it (GIF, PNG strip/grid, z JSON); progress as 'export.progress'
   * with `id`, which `cancelExport` takes.
   */
  exportWalk: inWorker<WalkExportResult>()(
    z.object({ dir, spec: walkSpecSchema, options: walkExportSchema, id: id.optional(), checkpoint: checkpointChoice.optional() }),
    {
      paths: { 'options.out': 'write' },
      job: {
        key: (a: Record<string, unknown>) => (typeof a.id === 'string' ? exportJobKey(a.id) : undefined),
        busy: 'An export with this id is already running',
      },
    },
  ),
  /** Stops a running export (its exportWalk call rejects as cancelled); false when no such export runs. */
  cancelExport: onEngine<boolean>()(z.object({ id })),
} as const;

export const latentSchemaChecks: [
  Same<z.output<typeof walkEndpointSchema>, WalkEndpoint>,
  Same<z.output<typeof walkSpecSchema>, WalkSpec>,
  Same<z.output<typeof walkExportSchema>, WalkExportOptions>,
  Same<Pick<GallerySample, 'z' | 'label'>, Pick<z.output<typeof gallerySaveSchema>, 'z' | 'label'>>,
  Same<z.output<typeof galleryProjectionSchema>, GalleryProjection>,
] = [true, true, true, true, true];
