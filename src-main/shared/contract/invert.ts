/**
 * Bring your own image and what G learned beyond single samples: projection (image -> z),
 * discovered directions (GANSpace), feature visualisation by optimisation, the training
 * timelapse, and animation exports. Long calls are chunked tasks in the compute host: they
 * report 'invert.progress' (exports: 'export.progress') and stop when cancelled by their id.
 */
import { z } from 'zod';
import type {
  AnimationExportResult,
  DirectionFrames,
  DirectionsResult,
  ExciteView,
  ProjectionImage,
  ProjectionOutcome,
  SavedDirection,
} from '../types/invert';
import { classIndex, dir, id, latentVector, pathString, seed, text, type Same } from './common';
import { layerName } from './inspect';
import { base64, exportJobKey } from './latent';
import { inWorker, onEngine } from './method';

/** The job key of a projection, direction discovery or feature optimisation: `invertCancel({ id })` finds it by this. */
export const invertJobKey = (jobId: string) => `invert:${jobId}`;
const invertJob = {
  key: (a: Record<string, unknown>) => (typeof a.id === 'string' ? invertJobKey(a.id) : undefined),
  busy: 'A job with this id is already running',
};
const exportJob = {
  key: (a: Record<string, unknown>) => (typeof a.id === 'string' ? exportJobKey(a.id) : undefined),
  busy: 'An export with this id is already running',
};

/** An image file sent with the call: 24 MB of base64 is an 18 MB file, more than any photo needs at 64 px. */
export const MAX_IMAGE_BASE64 = 24 * 1024 * 1024;

export const projectionImageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: pathString('choose an image file') }),
  z.object({ kind: z.literal('bytes'), name: text(255), base64: base64(MAX_IMAGE_BASE64).pipe(z.string().min(1, 'the image is empty')) }),
  z.object({ kind: z.literal('dataset'), index: z.number().int().min(0) }),
  z.object({ kind: z.literal('sample'), id }),
]);

export const projectionSettingsSchema = z.object({
  steps: z.number().int().min(1).max(5000).optional(),
  restarts: z.number().int().min(1).max(64).optional(),
  seed: seed.optional(),
  classIndex: classIndex.optional(),
  earlyStop: z.boolean().optional(),
});

export const animationOptionsSchema = z.object({
  out: pathString('choose a file to export to'),
  format: z.enum(['gif', 'mp4', 'webm']).optional(),
  fps: z.number().int().min(1).max(60),
  scale: z.number().int().min(1).max(16).optional(),
});

const directionName = text(120).pipe(z.string().trim().min(1, 'give the direction a name'));

export const invertContract = {
  /**
   * Finds z (and the class) whose G(z) matches an image: Adam on z, pixel + D-feature loss,
   * restarts, early stop (engine/invert). Progress with the best reconstruction so far as
   * 'invert.progress'; `invertCancel({ id })` stops it.
   */
  invertImage: inWorker<ProjectionOutcome>()(z.object({ dir, image: projectionImageSchema, ...projectionSettingsSchema.shape, id: id.optional() }), {
    paths: { 'image.path': 'read' },
    job: invertJob,
  }),
  /** Principal directions of G (GANSpace), ranked by explained variance; optionally a sheet of them around a base. */
  directionsDiscover: inWorker<DirectionsResult>()(
    z.object({
      dir,
      count: z.number().int().min(1).max(64),
      samples: z.number().int().min(20).max(20_000).optional(),
      seed: seed.optional(),
      sheet: z
        .object({ base: z.object({ z: latentVector, label: classIndex.nullable() }).optional(), span: z.number().positive().max(10).optional(), columns: z.number().int().min(3).max(15).optional() })
        .optional(),
      id: id.optional(),
    }),
    { job: invertJob },
  ),
  /** G(base + sum_i amounts[f][i] * vectors[i]) for each frame f: sliders' live preview, direction sweeps. */
  directionFrames: inWorker<DirectionFrames>()(
    z.object({
      dir,
      base: z.object({ z: latentVector, label: classIndex.nullable() }),
      vectors: z.array(latentVector).min(1).max(64),
      amounts: z.array(z.array(z.number().min(-50).max(50)).max(64)).min(1).max(64),
      scale: z.number().int().min(1).max(8).optional(),
    }),
  ),
  /** Directions saved in the project (directions.json), oldest first. */
  directionList: onEngine<SavedDirection[]>()(z.object({ dir })),
  directionSave: onEngine<SavedDirection>()(
    z.object({
      dir,
      name: directionName,
      vector: latentVector,
      source: z
        .object({ kind: z.literal('discovered'), rank: z.number().int().min(1), explainedVariance: z.number().min(0).max(1), layer: layerName, step: z.number().int().min(0) })
        .nullable()
        .optional(),
    }),
  ),
  /** Deletes a saved direction; returns the ones left. */
  directionDelete: onEngine<SavedDirection[]>()(z.object({ dir, id })),
  /** The input that excites one feature map most (z for G's maps, an image for D's), by optimisation. */
  inspectExcite: inWorker<ExciteView>()(
    z.object({
      dir,
      layer: layerName,
      channel: z.number().int().min(0),
      steps: z.number().int().min(1).max(5000).optional(),
      restarts: z.number().int().min(1).max(64).optional(),
      seed: seed.optional(),
      classIndex: classIndex.optional(),
      id: id.optional(),
    }),
    { job: invertJob },
  ),
  /** Stops a running projection, direction discovery or feature optimisation (its call rejects as cancelled). */
  invertCancel: onEngine<boolean>()(z.object({ id })),
  /**
   * The saved fixed-noise grids in step order beside the loss curves so far, as GIF, MP4 or WebM;
   * progress as 'export.progress' with `id` (cancelExport takes it).
   */
  exportTimelapse: inWorker<AnimationExportResult>()(
    z.object({ dir, options: animationOptionsSchema.extend({ chartWidth: z.number().int().min(120).max(2048).optional() }), id: id.optional() }),
    { paths: { 'options.out': 'write' }, job: exportJob },
  ),
  /** PNG frames given with the call (a projection's animation) encoded as GIF, MP4 or WebM. */
  exportFrames: inWorker<AnimationExportResult>()(
    z.object({ frames: z.array(base64(8 * 1024 * 1024)).min(1).max(2000), options: animationOptionsSchema, id: id.optional() }),
    { paths: { 'options.out': 'write' }, job: exportJob },
  ),
} as const;

export const invertSchemaChecks: [Same<z.output<typeof projectionImageSchema>, ProjectionImage>] = [true];
