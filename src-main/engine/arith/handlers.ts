/** Engine-side latent-arithmetic methods: the project's concepts (concepts.json). */
import type { arithContract } from '../../shared/contract/arith';
import type { HandlersOf } from '../handler-types';
import { createConcept, deleteConcept, readConcepts, updateConcept } from './concepts';

export const arithHandlers: HandlersOf<typeof arithContract> = {
  conceptList: async (project) => readConcepts(project),
  conceptCreate: async (project, args) => createConcept(project, args),
  conceptUpdate: async (project, { id, ...patch }) => updateConcept(project, id, patch),
  conceptDelete: async (project, { id }) => deleteConcept(project, id),
};
