/** Latent vector arithmetic (paper Sec. 6.3): concepts, expressions over their means, directions. */
import { z } from 'zod';
import type { ArithResult, Concept, ConceptMember, DirectionResult } from '../types/arith';
import { checkpointChoice, classIndex, dir, id, latentVector, seed, text, type Same } from './common';
import { inWorker, onEngine } from './method';
import { MAX_CONCEPT_MEMBERS, MAX_DIRECTION_FRAMES, MAX_EXPRESSION_TERMS } from '../limits';

export { DEFAULT_ARITH_NOISE, MAX_CONCEPT_MEMBERS, MAX_DIRECTION_FRAMES, MAX_EXPRESSION_TERMS } from '../limits';

export const conceptMemberSchema = z.object({
  z: latentVector,
  label: classIndex.nullable().optional(),
  sampleId: id.optional(),
  seed: seed.optional(),
});

export const conceptMembersSchema = z
  .array(conceptMemberSchema)
  .max(MAX_CONCEPT_MEMBERS, `a concept holds at most ${MAX_CONCEPT_MEMBERS} samples`);
export const conceptNameSchema = text(120).pipe(z.string().trim().min(1, 'give the concept a name'));

export const latentPointSchema = z.object({ z: latentVector, label: classIndex.nullable() });

/** An exemplar given by the tile-0 seed of `generate({ seed })` instead of its z. */
export const seedMemberSchema = z.object({ seed, label: classIndex.nullable().optional() });

/** A concept given with the call rather than saved in the project (the CLI's --a 1,2,3). */
export const inlineConceptSchema = z.object({
  symbol: z
    .string()
    .max(1)
    .regex(/^[A-Z]$/, 'a concept symbol is one capital letter'),
  name: text(120),
  members: z
    .array(z.union([conceptMemberSchema, seedMemberSchema]))
    .min(1, 'a concept needs at least one sample')
    .max(MAX_CONCEPT_MEMBERS),
});

export const arithComposeSchema = z.object({
  expression: text(2000),
  /** Concepts given with the call; they shadow saved concepts with the same symbol. */
  concepts: z.array(inlineConceptSchema).max(MAX_EXPRESSION_TERMS).optional(),
  /** Nearest-neighbour upscaling of the composed grid PNG (default: crisp at a glance). */
  gridScale: z.number().int().min(1).max(16).optional(),
  /** Half-width of the uniform noise added to Y for the 8 outer cells. */
  noise: z.number().min(0).max(4).optional(),
  noiseSeed: seed.optional(),
});

export const arithDirectionSchema = z.object({
  /** direction = mean(a) - mean(b) (concept ids). */
  a: text(200).pipe(z.string().min(1, 'pick the concept to move towards')),
  b: text(200).pipe(z.string().min(1, 'pick the concept to move away from')),
  base: latentPointSchema,
  strengths: z.array(z.number().min(-16).max(16)).min(1).max(MAX_DIRECTION_FRAMES),
});

export const arithContract = {
  /** Concepts saved in the project (concepts.json) for latent arithmetic, oldest first. */
  conceptList: onEngine<Concept[]>()(z.object({ dir })),
  /** A new concept; it gets the first free symbol (A, B, C...). */
  conceptCreate: onEngine<Concept>()(z.object({ dir, name: conceptNameSchema, members: conceptMembersSchema.optional() })),
  /** Renames a concept and/or replaces its members. */
  conceptUpdate: onEngine<Concept>()(z.object({ dir, id, name: conceptNameSchema.optional(), members: conceptMembersSchema.optional() })),
  /** Deletes a concept; returns the concepts left. */
  conceptDelete: onEngine<Concept[]>()(z.object({ dir, id })),
  /** Evaluates an expression over concept means ("A - B + C") into the paper's 3x3 noise grid and its pixel-space twin. */
  arithCompose: inWorker<ArithResult>()(arithComposeSchema.extend({ dir, checkpoint: checkpointChoice.optional() })),
  /** Applies mean(a) - mean(b) to a base z at each strength; the frames render a walk. */
  arithDirection: inWorker<DirectionResult>()(arithDirectionSchema.extend({ dir, checkpoint: checkpointChoice.optional() })),
} as const;

export const arithSchemaChecks: [Same<z.output<typeof conceptMemberSchema>, ConceptMember>] = [true];
