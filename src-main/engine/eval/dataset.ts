/** The project's dataset as evaluations see it: the cache, its labels, and whether it has any. */
import { invalid } from '../../shared/errors';
import type { ProjectConfig } from '../../shared/types';
import type { DatasetCache } from '../data/cache';
import { noDatasetMessage, type Project } from '../project/project';

/**
 * Why label-based evaluations (classification accuracy, the quality score's classifier) cannot
 * run on this project, or null when they can. Said plainly instead of falling back to a score
 * that would mean something else.
 */
export function labelsMissing(config: ProjectConfig): string | null {
  if (config.dataset.source.kind === 'none') return noDatasetMessage(config.name);
  if (config.dataset.classes.length >= 2) return null;
  return (
    'This dataset has no class labels, and both classification accuracy and the quality score need them ' +
    '(the score uses a classifier trained on the labels). Import a folder with one sub-folder per class, ' +
    'or use MNIST / Fashion-MNIST. The memorisation check works without labels.'
  );
}

export function requireLabels(config: ProjectConfig): void {
  const reason = labelsMissing(config);
  if (reason) throw invalid(reason);
}

export function openProjectDataset(project: Project): DatasetCache {
  return project.openDataset();
}

/** Raw bytes of the images at `indices`, concatenated [n, S*S*C] (previews, pixel neighbours). */
export function readBytes(cache: DatasetCache, indices: ArrayLike<number>): Uint8Array {
  const per = cache.size * cache.size * cache.channels;
  const out = new Uint8Array(indices.length * per);
  for (let i = 0; i < indices.length; i++) out.set(cache.readUint8(indices[i], 1), i * per);
  return out;
}
