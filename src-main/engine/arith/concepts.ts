/**
 * concepts.json: the project's named concepts for latent arithmetic, versioned and validated on
 * load, written atomically. Every change is a synchronous read-modify-write, so two API calls in
 * the engine's one event loop can never interleave and lose an edit.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { conceptMembersSchema, conceptNameSchema } from '../../shared/contract/arith';
import { invalid, notFound } from '../../shared/errors';
import type { Concept, ConceptMember, ModelConfig } from '../../shared/types';
import { writeJsonAtomic } from '../project/atomic';
import type { Project } from '../project/project';
import { readVersionedJson } from '../project/versioned-json';

export const CONCEPTS_VERSION = 1;

const conceptSchema = z.object({
  id: z.string().min(1),
  name: conceptNameSchema,
  symbol: z.string().regex(/^[A-Z][0-9]*$/),
  members: conceptMembersSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
const fileSchema = z.object({ version: z.literal(CONCEPTS_VERSION), concepts: z.array(conceptSchema) });

/** The project's concepts, oldest first; none when the file does not exist yet. */
export function readConcepts(project: Project): Concept[] {
  const file = readVersionedJson(project.files.concepts, {
    version: CONCEPTS_VERSION,
    schema: fileSchema,
    what: 'concepts',
    remedy: 'fix or delete it to start the concepts afresh',
  });
  return file?.concepts ?? [];
}

function writeConcepts(project: Project, concepts: Concept[]): void {
  writeJsonAtomic(project.files.concepts, { version: CONCEPTS_VERSION, concepts });
}

/** A, B, ..., Z, then A2, B2...: the first symbol no concept holds, so deleting B never renames C. */
export function nextSymbol(taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let round = 1; ; round++) {
    for (let c = 0; c < 26; c++) {
      const symbol = String.fromCharCode(65 + c) + (round === 1 ? '' : String(round));
      if (!used.has(symbol)) return symbol;
    }
  }
}

/** Members must fit the project's G: z of length zDim, labels among its classes. */
export function checkMembers(members: ConceptMember[], model: Pick<ModelConfig, 'zDim' | 'numClasses'>): ConceptMember[] {
  return members.map((m, i) => {
    if (m.z.length !== model.zDim) throw invalid(`sample ${i + 1} has a z of ${m.z.length} numbers; this project's z has ${model.zDim}`);
    const label = m.label ?? null;
    if (model.numClasses === 0) return { ...m, label: null };
    if (label === null) throw invalid(`sample ${i + 1} has no class; this conditional project needs one (0..${model.numClasses - 1})`);
    if (label >= model.numClasses) throw invalid(`sample ${i + 1} has class ${label}; this project has classes 0..${model.numClasses - 1}`);
    return m;
  });
}

export function createConcept(project: Project, input: { name: string; members?: ConceptMember[] }): Concept {
  const concepts = readConcepts(project);
  const now = new Date().toISOString();
  const concept: Concept = {
    id: randomUUID(),
    name: input.name.trim(),
    symbol: nextSymbol(concepts.map((c) => c.symbol)),
    members: checkMembers(input.members ?? [], project.config.model),
    createdAt: now,
    updatedAt: now,
  };
  writeConcepts(project, [...concepts, concept]);
  return concept;
}

export function updateConcept(project: Project, id: string, patch: { name?: string; members?: ConceptMember[] }): Concept {
  const concepts = readConcepts(project);
  const index = concepts.findIndex((c) => c.id === id);
  if (index < 0) throw notFound('That concept no longer exists (deleted elsewhere?)');
  const updated: Concept = {
    ...concepts[index],
    ...(patch.name !== undefined && { name: patch.name.trim() }),
    ...(patch.members !== undefined && { members: checkMembers(patch.members, project.config.model) }),
    updatedAt: new Date().toISOString(),
  };
  concepts[index] = updated;
  writeConcepts(project, concepts);
  return updated;
}

export function deleteConcept(project: Project, id: string): Concept[] {
  const concepts = readConcepts(project);
  const left = concepts.filter((c) => c.id !== id);
  if (left.length === concepts.length) throw notFound('That concept no longer exists (deleted elsewhere?)');
  writeConcepts(project, left);
  return left;
}
