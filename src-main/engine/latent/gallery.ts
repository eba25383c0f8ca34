/**
 * The project's sample gallery, gallery.json: samples a person chose to keep, each with the z
 * (and class) that makes it, so it can be rendered again at any checkpoint and used as a walk
 * endpoint. Versioned and validated on load; written atomically, whole, on every change.
 *
 * A sample made by projecting an image (invert/) carries an optional `projection` record with a
 * version of its own. The file's version stays 1: a sample without the field reads as before,
 * and an older Ganvas reads the file too (zod drops a field it does not know), so adding the
 * field breaks nobody. A record this build cannot read (a newer record version) is left out of
 * the sample rather than failing the whole gallery: the sample's z still draws it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { galleryProjectionSchema } from '../../shared/contract/latent';
import { invalid, notFound } from '../../shared/errors';
import type { GalleryProjection, GallerySample, ModelConfig } from '../../shared/types';
import { writeJsonAtomic } from '../project/atomic';
import type { Project } from '../project/project';
import { readVersionedJson } from '../project/versioned-json';

export const GALLERY_VERSION = 1;

const sampleSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  z: z.array(z.number().finite()),
  label: z.number().int().min(0).nullable(),
  pinned: z.boolean(),
  createdAt: z.string(),
  source: z.object({ seed: z.number().int().min(0), index: z.number().int().min(0) }).nullable(),
  projection: z
    .unknown()
    .optional()
    .transform((v) => (v === undefined ? undefined : galleryProjectionSchema.safeParse(v).data)),
});

const fileSchema = z.object({ version: z.literal(GALLERY_VERSION), samples: z.array(sampleSchema) });

export interface NewSample {
  name?: string;
  z: number[];
  label: number | null;
  pinned?: boolean;
  source?: { seed: number; index: number } | null;
  projection?: GalleryProjection;
}

/** Saved samples in stored order (oldest first); [] when the project has none. */
export function readGallery(project: Project): GallerySample[] {
  const file = readVersionedJson(project.files.gallery, {
    version: GALLERY_VERSION,
    schema: fileSchema,
    what: 'gallery',
    remedy: 'fix or delete it to start the gallery afresh',
  });
  return file?.samples ?? [];
}

/** Pinned first, then oldest first: how lists show the gallery. */
export function sortedGallery(samples: GallerySample[]): GallerySample[] {
  return [...samples].sort((a, b) => Number(b.pinned) - Number(a.pinned) || a.createdAt.localeCompare(b.createdAt));
}

function writeGallery(project: Project, samples: GallerySample[]): void {
  writeJsonAtomic(project.files.gallery, { version: GALLERY_VERSION, samples });
}

export function findSample(project: Project, id: string): GallerySample {
  const sample = readGallery(project).find((s) => s.id === id);
  if (!sample) throw notFound(`No saved sample with id ${id} in this project's gallery`);
  return sample;
}

/** Adds a sample after checking it fits the model (z length, class range). */
export function saveSample(project: Project, input: NewSample): GallerySample {
  const model: Pick<ModelConfig, 'zDim' | 'numClasses'> = project.config.model;
  if (input.z.length !== model.zDim) throw invalid(`This sample's z has ${input.z.length} numbers; the model's has ${model.zDim}`);
  let label = input.label;
  if (model.numClasses === 0) label = null;
  else if (label === null || label >= model.numClasses) {
    throw invalid(`A conditional model's sample needs a class from 0 to ${model.numClasses - 1}`);
  }
  const samples = readGallery(project);
  const sample: GallerySample = {
    id: randomUUID(),
    name: input.name?.trim() || defaultName(input, samples.length),
    z: input.z,
    label,
    pinned: input.pinned ?? false,
    createdAt: new Date().toISOString(),
    source: input.source ?? null,
    ...(input.projection && { projection: input.projection }),
  };
  writeGallery(project, [...samples, sample]);
  return sample;
}

export function updateSample(project: Project, id: string, change: { name?: string; pinned?: boolean }): GallerySample {
  const samples = readGallery(project);
  const index = samples.findIndex((s) => s.id === id);
  if (index < 0) throw notFound(`No saved sample with id ${id} in this project's gallery`);
  const name = change.name?.trim();
  const updated = { ...samples[index], ...(name && { name }), ...(change.pinned !== undefined && { pinned: change.pinned }) };
  samples[index] = updated;
  writeGallery(project, samples);
  return updated;
}

export function deleteSample(project: Project, id: string): GallerySample[] {
  const samples = readGallery(project);
  const kept = samples.filter((s) => s.id !== id);
  if (kept.length === samples.length) throw notFound(`No saved sample with id ${id} in this project's gallery`);
  writeGallery(project, kept);
  return kept;
}

function defaultName(input: NewSample, existing: number): string {
  if (input.projection) return `projected ${input.projection.sourceName}`.slice(0, 200);
  return input.source ? `seed ${input.source.seed} #${input.source.index}` : `sample ${existing + 1}`;
}
