/** Tasks of the core contract: the backend report, creating a project, sampling a grid. */
import type { coreContract } from '../../shared/contract/core';
import type { TasksOf } from '../handler-types';
import { createProject } from '../project/create';
import { sampleBatch } from '../sampling/sampler';

/** Import progress at most ~10 a second (the last always): a 10k-image import would flood IPC. */
function throttled(emit: (done: number, total: number, file?: string) => void) {
  let last = 0;
  return (done: number, total: number, file?: string) => {
    if (done !== total && Date.now() - last < 100) return;
    last = Date.now();
    emit(done, total, file);
  };
}

export const coreTasks: TasksOf<typeof coreContract> = {
  /** Where this host draws (and, on the Node backends, computes); a choice switches it. */
  backends: async (args, ctx) => ctx.drawOn(args.backend),
  /** Decoding and resizing thousands of images: never on the engine's event loop. */
  createProject: async (args, ctx) => {
    const onProgress = throttled((done, total, file) => ctx.emit('import.progress', { done, total, file }));
    const summary = (await createProject({ ...args, onProgress, signal: ctx.signal })).summary();
    if (summary.importReport) ctx.emit('import.report', summary.importReport);
    return summary;
  },
  generate: async (project, { count, seed, classIndex }, ctx) =>
    sampleBatch(ctx.drawer(project, project.ganAt()), project.config.model, count, seed, classIndex),
};
