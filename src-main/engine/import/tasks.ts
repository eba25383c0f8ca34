/** Compute-host tasks of the import contract: a project from imported weights, a folder's crop preview. */
import type { importContract } from '../../shared/contract/import';
import { previewFolder } from '../data/preview';
import type { TasksOf } from '../handler-types';
import { createImportedProject } from './create-imported';

export const importTasks: TasksOf<typeof importContract> = {
  importModel: async (args, ctx) => {
    let stage = '';
    const project = await createImportedProject({
      ...args,
      signal: ctx.signal,
      onStage: (s) => ctx.emit('import.progress', { done: 0, total: 0, stage: (stage = s) }),
      onProgress: (done, total, file) => ctx.emit('import.progress', { done, total, file, stage }),
    });
    return project.summary();
  },
  previewFolder: async ({ path, ...opts }) => previewFolder(path, opts),
};
