/**
 * project.json: versioned, validated on load. A newer schema is refused with a clear message
 * rather than half-read (a user may open a project made by a newer Ganvas).
 */
import { z } from 'zod';
import type { ProjectConfig } from '../../shared/types';
import { architectureSchema } from '../models/arch-schema';
import { validateArchitecture } from '../models/validate-arch';

export const PROJECT_SCHEMA_VERSION = 1;
export const PROJECT_FILE = 'project.json';

const modelSchema = z.object({
  size: z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  zDim: z.number().int().positive(),
  ngf: z.number().int().positive(),
  ndf: z.number().int().positive(),
  numClasses: z.number().int().min(0),
  latent: z.enum(['normal', 'uniform']),
  // Optional: projects made before architectures were data have none (= the paper nets).
  arch: architectureSchema.optional(),
});

const trainSchema = z.object({
  learningRate: z.number().positive(),
  beta1: z.number().min(0).lt(1),
  beta2: z.number().min(0).lt(1),
  batchSize: z.number().int().positive(),
  logEvery: z.number().int().positive(),
  sampleEvery: z.number().int().positive(),
  checkpointEvery: z.number().int().positive(),
  keepLast: z.number().int().positive(),
  keepEvery: z.number().int().min(0),
  seed: z.number().int().min(0),
  fakeLabels: z.enum(['real', 'random']).optional(),
});

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
  z.object({ kind: z.literal('folder'), path: z.string(), crop: z.number().int().positive().optional() }),
]);

export const projectSchema = z.object({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  name: z.string(),
  createdAt: z.string(),
  model: modelSchema,
  train: trainSchema,
  dataset: z.object({
    source: sourceSchema,
    count: z.number().int().min(0),
    size: z.number().int().positive(),
    channels: z.union([z.literal(1), z.literal(3)]),
    classes: z.array(z.string()),
  }),
});

/** Parses project.json text; every failure is an Error a user can read. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON; the project file is damaged`);
  }
  const version = (raw as { schemaVersion?: unknown })?.schemaVersion;
  if (typeof version === 'number' && version > PROJECT_SCHEMA_VERSION) {
    throw new Error(
      `${file} was written by a newer Ganvas (schema ${version}); this version reads schema ${PROJECT_SCHEMA_VERSION}. Update Ganvas to open it.`,
    );
  }
  const result = projectSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file} is not a valid Ganvas project: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const config = result.data as ProjectConfig;
  if (config.model.arch) {
    try {
      validateArchitecture(config.model, config.model.arch);
    } catch (err) {
      throw new Error(`${file} is not a valid Ganvas project: model.arch: ${(err as Error).message}`);
    }
  }
  return config;
}
