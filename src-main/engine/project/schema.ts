/**
 * project.json: versioned, validated on load. A newer schema is refused with a clear message
 * rather than half-read (a user may open a project made by a newer Ganvas).
 */
import { z } from 'zod';
import { damaged } from '../../shared/errors';
import type { ProjectConfig } from '../../shared/types';
import { architectureSchema } from '../models/arch-schema';
import { validateArchitecture } from '../models/validate-arch';
import { MAX_EMA_DECAY } from '../../shared/limits';

export const PROJECT_SCHEMA_VERSION = 1;

// The same limits as createProject accepts (shared/contract/core.ts): a hand-edited or hostile
// project.json cannot ask for a 1e9-wide layer or a 1e9 batch.
const modelSchema = z.object({
  size: z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  zDim: z.number().int().min(2).max(1024),
  // Imported models may be narrower than createProject allows (tiny test nets); model.arch is what is built.
  ngf: z.number().int().min(1).max(4096),
  ndf: z.number().int().min(1).max(4096),
  numClasses: z.number().int().min(0).max(4096),
  latent: z.enum(['normal', 'uniform']),
  // Optional: projects made before architectures were data have none (= the paper nets).
  arch: architectureSchema.optional(),
});

const every = z.number().int().min(1).max(1_000_000);
const trainSchema = z.object({
  learningRate: z.number().positive().max(1),
  beta1: z.number().min(0).lt(1),
  beta2: z.number().min(0).lt(1),
  batchSize: z.number().int().min(1).max(1024), // 1: the montage net's book trains one image per step
  logEvery: every,
  sampleEvery: every,
  checkpointEvery: every,
  /** Also checkpoint after this many minutes of training (0: steps only); missing in projects made before it existed. */
  checkpointMinutes: z
    .number()
    .min(0)
    .max(24 * 60)
    .default(2),
  keepLast: z.number().int().min(1).max(1000),
  keepEvery: z.number().int().min(0).max(1_000_000),
  seed: z.number().int().min(0).max(0xffffffff),
  fakeLabels: z.enum(['real', 'random']).optional(),
  // Absent in projects made before it existed (= off).
  emaDecay: z.number().min(0).max(MAX_EMA_DECAY).optional(),
});

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
  z.object({ kind: z.literal('folder'), path: z.string().max(4096), crop: z.number().int().positive().max(16384).optional() }),
  z.object({ kind: z.literal('none') }), // a model imported without a dataset
]);

const importOriginSchema = z.object({
  family: z.string().max(64),
  label: z.string().max(200),
  generator: z.string().max(4096),
  discriminator: z.string().max(4096).optional(),
  sampling: z.enum(['eval', 'train']),
  notes: z.array(z.string().max(1000)).max(32),
  importedAt: z.string().max(64),
});

export const projectSchema = z.object({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  name: z.string().max(200),
  createdAt: z.string().max(64),
  model: modelSchema,
  train: trainSchema,
  dataset: z.object({
    source: sourceSchema,
    count: z.number().int().min(0).max(100_000_000),
    size: z.number().int().positive().max(4096),
    channels: z.union([z.literal(1), z.literal(3)]),
    classes: z.array(z.string().max(200)).max(4096),
  }),
  imported: importOriginSchema.optional(),
});

/** Parses project.json text; every failure is an Error a user can read. */
export function parseProjectConfig(text: string, file: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw damaged(`${file} is not valid JSON; the project file is damaged`);
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
    throw damaged(`${file} is not a valid Ganvas project: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const config = result.data as ProjectConfig;
  if (config.model.arch) {
    try {
      validateArchitecture(config.model, config.model.arch);
    } catch (err) {
      throw damaged(`${file} is not a valid Ganvas project: model.arch: ${(err as Error).message}`);
    }
  }
  return config;
}
