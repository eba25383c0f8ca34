/**
 * directions.json: latent directions a person kept (a discovered principal direction, named),
 * beside the arithmetic's concept directions (mean(A) - mean(B)). Versioned and validated on
 * load, written atomically and whole on every change, like gallery.json.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { invalid, notFound } from '../../shared/errors';
import type { SavedDirection } from '../../shared/types';
import { writeJsonAtomic } from '../project/atomic';
import type { Project } from '../project/project';
import { readVersionedJson } from '../project/versioned-json';

export const DIRECTIONS_VERSION = 1;

const directionSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  vector: z.array(z.number().finite()),
  createdAt: z.string(),
  source: z
    .object({
      kind: z.literal('discovered'),
      rank: z.number().int().min(1),
      explainedVariance: z.number(),
      layer: z.string(),
      step: z.number().int().min(0),
    })
    .nullable(),
});
const fileSchema = z.object({ version: z.literal(DIRECTIONS_VERSION), directions: z.array(directionSchema) });

export function readDirections(project: Project): SavedDirection[] {
  const file = readVersionedJson(project.files.directions, {
    version: DIRECTIONS_VERSION,
    schema: fileSchema,
    what: 'saved directions',
    remedy: 'fix or delete it to start the saved directions afresh',
  });
  return file?.directions ?? [];
}

function writeDirections(project: Project, directions: SavedDirection[]): void {
  writeJsonAtomic(project.files.directions, { version: DIRECTIONS_VERSION, directions });
}

/** Saves a direction, unit-normalised (a slider's amount is then in prior standard deviations). */
export function saveDirection(
  project: Project,
  input: Omit<SavedDirection, 'id' | 'createdAt' | 'source'> & Partial<Pick<SavedDirection, 'source'>>,
) {
  const { zDim } = project.config.model;
  if (input.vector.length !== zDim) throw invalid(`This direction has ${input.vector.length} numbers; the model's z has ${zDim}`);
  const norm = Math.hypot(...input.vector);
  if (!(norm > 1e-9)) throw invalid('A direction cannot be all zeros');
  const saved: SavedDirection = {
    id: randomUUID(),
    name: input.name.trim(),
    vector: input.vector.map((v) => v / norm),
    createdAt: new Date().toISOString(),
    source: input.source ?? null,
  };
  writeDirections(project, [...readDirections(project), saved]);
  return saved;
}

export function deleteDirection(project: Project, id: string): SavedDirection[] {
  const all = readDirections(project);
  const kept = all.filter((d) => d.id !== id);
  if (kept.length === all.length) throw notFound(`No saved direction with id ${id} in this project`);
  writeDirections(project, kept);
  return kept;
}
