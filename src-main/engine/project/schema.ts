/**
 * project.json: versioned, validated on load. A newer schema is refused with a clear message
 * rather than half-read (a user may open a project made by a newer Ganvas).
 */
import { z } from 'zod';
import { damaged } from '../../shared/errors';
import type { ProjectConfig } from '../../shared/types';

export const PROJECT_SCHEMA_VERSION = 1;

// The same limits as createProject accepts (shared/contract/core.ts): a hand-edited or hostile
// project.json cannot ask for a 1e9-wide layer or a 1e9 batch.
const modelSchema = z.object({
  size: z.union([z.literal(28), z.literal(32), z.literal(64), z.literal(128)]),
  channels: z.union([z.literal(1), z.literal(3)]),
  zDim: z.number().int().min(2).max(1024),
  ngf: z.number().int().min(4).max(512),
  ndf: z.number().int().min(4).max(512),
  numClasses: z.number().int().min(0).max(4096),
  latent: z.enum(['normal', 'uniform']),
});

const every = z.number().int().min(1).max(1_000_000);
const trainSchema = z.object({
  learningRate: z.number().positive().max(1),
  beta1: z.number().min(0).lt(1),
  beta2: z.number().min(0).lt(1),
  batchSize: z.number().int().min(2).max(1024),
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
});

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mnist') }),
  z.object({ kind: z.literal('fashion-mnist') }),
  z.object({ kind: z.literal('folder'), path: z.string().max(4096) }),
]);

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
  return result.data as ProjectConfig;
}
