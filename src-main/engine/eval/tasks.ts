/**
 * Evaluation tasks in the inference worker. One evaluation per project at a time; each reports
 * 'eval.progress' (throttled to ~8 a second) and stops at its next chunk when `evalCancel`
 * arrives — evaluations yield to the worker's event loop between chunks, so the cancel request
 * (and any other feature's sampling request) is handled while they run.
 */
import type { ApiInput } from '../../shared/contract';
import type { EvalKind, EvalProgress, FeatureEvalResult, MemorisationResult, QualityResult } from '../../shared/eval-types';
import type { ContextTask, Task, TaskContext } from '../worker/tasks';
import { evaluateFeatures } from './feature-eval';
import { evaluateMemorisation } from './memorisation';
import { CancelToken, type EvalProgressUpdate, type RunControl } from './progress';
import { evaluateQuality } from './quality';

type WithDir<M extends 'evalFeatures' | 'evalQuality' | 'evalMemorisation'> = ApiInput<M> & { dir: string };
type StepAwareControl = RunControl & { onStep: (step: number, index: number, count: number) => void };

const running = new Map<string, { kind: EvalKind; token: CancelToken }>();

const KIND_NAMES: Record<EvalKind, string> = {
  features: 'classification',
  quality: 'quality score',
  memorisation: 'memorisation check',
};

/** Runs one evaluation of a project with progress events and a cancel token. */
async function run<R>(ctx: TaskContext, dir: string, kind: EvalKind, work: (control: StepAwareControl) => Promise<R>): Promise<R> {
  const busy = running.get(dir);
  if (busy) throw new Error(`A ${KIND_NAMES[busy.kind]} is already running for this project; wait for it or cancel it`);
  const token = new CancelToken();
  running.set(dir, { kind, token });
  let last = 0;
  let lastPhase = '';
  let where: Pick<EvalProgress, 'step' | 'stepIndex' | 'stepCount'> = {};
  const onProgress = (p: EvalProgressUpdate) => {
    const now = Date.now();
    // Always send a new phase and a finished one; in between at most ~8 a second.
    if (p.phase === lastPhase && p.done < p.total && now - last < 125) return;
    last = now;
    lastPhase = p.phase;
    ctx.emit('eval.progress', { dir, kind, ...p, ...where });
  };
  try {
    return await work({
      check: token.check,
      onProgress,
      onStep: (step, stepIndex, stepCount) => {
        where = { step, stepIndex, stepCount };
      },
    });
  } finally {
    running.delete(dir);
  }
}

export const evalTasks = {
  evalFeatures: (async ({ dir, ...options }, ctx) =>
    run(ctx, dir, 'features', (control) => evaluateFeatures(dir, options, control))) as ContextTask<
    WithDir<'evalFeatures'>,
    FeatureEvalResult
  >,
  evalQuality: (async ({ dir, ...options }, ctx) =>
    run(ctx, dir, 'quality', (control) => evaluateQuality(dir, options, control))) as ContextTask<WithDir<'evalQuality'>, QualityResult>,
  evalMemorisation: (async ({ dir, ...options }, ctx) =>
    run(ctx, dir, 'memorisation', (control) => evaluateMemorisation(dir, options, control))) as ContextTask<
    WithDir<'evalMemorisation'>,
    MemorisationResult
  >,
  evalCancel: (async ({ dir }) => {
    const job = running.get(dir);
    if (job) job.token.cancelled = true;
    return job !== undefined;
  }) as Task<{ dir: string }, boolean>,
};
