/**
 * Inference tasks a compute worker runs on request: name -> async function of JSON args.
 * Each feature keeps its tasks in its own module and adds them here, so the worker protocol
 * never changes when a feature is added.
 */
import type { SampleBatch } from '../../shared/types';
import { sampleBatch } from '../sampling/sampler';
import { loadInferenceGan } from './inference';

export type Task<A, R> = (args: A) => Promise<R>;

export const coreTasks = {
  generate: (async (args) => {
    const m = loadInferenceGan(args.dir);
    return sampleBatch(m.gan, m.config.model, args.count, args.seed, args.classIndex);
  }) as Task<{ dir: string; count: number; seed: number; classIndex?: number }, SampleBatch>,
};

/** Every task, by name. Feature modules: `export const xTasks = {...}` and spread it here. */
export const tasks = {
  ...coreTasks,
};

export type TaskName = keyof typeof tasks;
export type TaskArgs<N extends TaskName> = Parameters<(typeof tasks)[N]>[0];
export type TaskResult<N extends TaskName> = Awaited<ReturnType<(typeof tasks)[N]>>;
