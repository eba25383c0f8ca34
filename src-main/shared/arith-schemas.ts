/**
 * zod schemas for the latent-arithmetic methods of the contract (concepts, expressions,
 * directions). The TS types they check live in types.ts.
 */
import { z } from 'zod';
import type { ConceptMember } from './types';

/** More exemplars than this adds nothing to a mean and makes a slow render. */
export const MAX_CONCEPT_MEMBERS = 64;
/** Concepts in one expression: the result view shows a row per concept. */
export const MAX_EXPRESSION_TERMS = 8;
/** Frames per direction request (a walk of up to 64 frames renders in one call). */
export const MAX_DIRECTION_FRAMES = 64;
/** The paper's noise scale for the 3x3 grid (Fig. 7: "uniform noise sampled with scale +-0.25"). */
export const DEFAULT_ARITH_NOISE = 0.25;

const zVector = z.array(z.number().finite()).min(2, 'z needs at least 2 numbers').max(1024);
const classIndex = z.number().int().min(0);

export const conceptMemberSchema = z.object({
  z: zVector,
  label: classIndex.nullable().optional(),
  sampleId: z.string().min(1).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});

export const conceptMembersSchema = z
  .array(conceptMemberSchema)
  .max(MAX_CONCEPT_MEMBERS, `a concept holds at most ${MAX_CONCEPT_MEMBERS} samples`);
export const conceptNameSchema = z.string().trim().min(1, 'give the concept a name').max(120);

export const latentPointSchema = z.object({ z: zVector, label: classIndex.nullable() });

export const arithComposeSchema = z.object({
  expression: z.string().max(2000),
  /** Half-width of the uniform noise added to Y for the 8 outer cells. */
  noise: z.number().min(0).max(4).optional(),
  noiseSeed: z.number().int().min(0).max(0xffffffff).optional(),
});

export const arithDirectionSchema = z.object({
  /** direction = mean(a) - mean(b) (concept ids). */
  a: z.string().min(1, 'pick the concept to move towards'),
  b: z.string().min(1, 'pick the concept to move away from'),
  base: latentPointSchema,
  strengths: z.array(z.number().min(-16).max(16)).min(1).max(MAX_DIRECTION_FRAMES),
});

// Compile-time checks that the schemas and the shared types agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const arithSchemaTypeChecks: [Same<z.output<typeof conceptMemberSchema>, ConceptMember>] = [true];
