/** Engine-side invertContract methods: saved directions (directions.json) and cancelling a running job. */
import { invertJobKey, type invertContract } from '../../shared/contract/invert';
import type { HandlersOf } from '../handler-types';
import { deleteDirection, readDirections, saveDirection } from '../latent/saved-directions';

export const invertHandlers: HandlersOf<typeof invertContract> = {
  directionList: async (project) => readDirections(project),
  directionSave: async (project, { name, vector, source }) => saveDirection(project, { name, vector, source }),
  directionDelete: async (project, { id }) => deleteDirection(project, id),
  invertCancel: async ({ id }, ctx) => ctx.jobs.cancel(invertJobKey(id)),
};
