/**
 * Inference tasks a compute worker runs on request: name -> async function of JSON args.
 * Each feature keeps its tasks in its own module and adds them here, so the worker protocol
 * never changes when a feature is added.
 */
import type { ApiInput } from '../../shared/contract';
import type { ProjectSummary, SampleBatch } from '../../shared/types';
import { createProject } from '../project/project';
import { latentTasks } from '../latent/tasks';
import { sampleBatch } from '../sampling/sampler';
import { arithTasks } from '../arith/tasks';
import { inspectTasks } from '../inspect/tasks';
import { evalTasks } from '../eval/tasks';
import { loadInferenceGan } from './inference';

export type Task<A, R> = (args: A) => Promise<R>;

/** Tasks get the worker's event channel, e.g. for progress. */
export interface TaskContext {
  emit: import('./handlers').Emit;
}

export const coreTasks = {
  /** Dataset import decodes and resizes thousands of images: never on the engine's event loop. */
  createProject: (async (args, ctx) => {
    let last = 0;
    return createProject({
      ...args,
      onProgress: (done, total, file) => {
        // Throttled: a 10k-image import would otherwise flood IPC.
        if (done === total || Date.now() - last > 100) {
          last = Date.now();
          ctx.emit('import.progress', { done, total, file });
        }
      },
    });
  }) as ContextTask<ApiInput<'createProject'>, ProjectSummary>,
  generate: (async (args) => {
    const m = loadInferenceGan(args.dir);
    return sampleBatch(m.gan, m.config.model, args.count, args.seed, args.classIndex);
  }) as Task<{ dir: string; count: number; seed: number; classIndex?: number }, SampleBatch>,
};

/** Every task, by name. Feature modules: `export const xTasks = {...}` and spread it here. */
export const tasks = {
  ...coreTasks,
  ...inspectTasks,
  ...arithTasks,
  ...latentTasks,
  ...evalTasks,
};

export type ContextTask<A, R> = (args: A, ctx: TaskContext) => Promise<R>;

export type TaskName = keyof typeof tasks;
export type TaskArgs<N extends TaskName> = Parameters<(typeof tasks)[N]>[0];
export type TaskResult<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>;
