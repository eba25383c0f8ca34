/** Engine-side latent-explorer methods: the gallery file (gallery.json) and cancelling exports. */
import { exportJobKey, type latentContract } from '../../shared/contract/latent';
import type { HandlersOf } from '../handler-types';
import { deleteSample, readGallery, saveSample, sortedGallery, updateSample } from './gallery';

export const latentHandlers: HandlersOf<typeof latentContract> = {
  galleryList: async (project) => sortedGallery(readGallery(project)),
  gallerySave: async (project, { sample }) => saveSample(project, sample),
  galleryUpdate: async (project, { id, ...change }) => updateSample(project, id, change),
  galleryDelete: async (project, { id }) => sortedGallery(deleteSample(project, id)),
  cancelExport: async ({ id }, ctx) => ctx.jobs.cancel(exportJobKey(id)),
};
