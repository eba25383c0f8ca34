/** Engine-side "look inside" methods: the layer list and the forgetting view's saved boxes. */
import type { inspectContract } from '../../shared/contract/inspect';
import type { HandlersOf } from '../handler-types';
import { loadForgetAnnotations, saveForgetAnnotations } from './annotations';
import { inspectLayers } from './layers';

export const inspectHandlers: HandlersOf<typeof inspectContract> = {
  inspectLayers: async (project) => inspectLayers(project.config.model, project.latestStep()),
  forgetAnnotations: async (project) => loadForgetAnnotations(project),
  saveForgetAnnotations: async (project, { annotations }) => saveForgetAnnotations(project, annotations),
};
