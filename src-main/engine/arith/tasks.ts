/** Inference-worker tasks for latent arithmetic: G runs here, never in the engine's process. */
import type { ArithResult, DirectionResult } from '../../shared/types';
import type { Task } from '../worker/tasks';
import { loadInferenceGan } from '../worker/inference';
import { composeArith, renderDirection, type ComposeOptions } from './compose';

type DirectionArgs = Parameters<typeof renderDirection>[3] & { dir: string };

export const arithTasks = {
  arithCompose: (async ({ dir, ...opts }) => {
    const m = loadInferenceGan(dir);
    return composeArith(m.gan.G, m.config.model, m.step, opts);
  }) as Task<ComposeOptions & { dir: string }, ArithResult>,
  arithDirection: (async ({ dir, ...args }) => {
    const m = loadInferenceGan(dir);
    return renderDirection(m.gan.G, m.config.model, m.step, args);
  }) as Task<DirectionArgs, DirectionResult>,
};
