/**
 * Evaluations in a compute host. One per project at a time (the contract's job key); each
 * reports 'eval.progress' (throttled to ~8 a second) and stops at its next chunk when evalCancel
 * aborts its signal — evaluations yield to the host's event loop between chunks, so the cancel
 * request (and any other feature's sampling request) is handled while they run.
 */
import type { evalContract } from '../../shared/contract/eval';
import type { EvalKind, EvalProgress } from '../../shared/types/eval';
import { throwIfCancelled, type TaskContext, type TasksOf } from '../handler-types';
import type { Project } from '../project/project';
import { evaluateFeatures } from './feature-eval';
import { evaluateMemorisation } from './memorisation';
import type { EvalProgressUpdate, RunControl } from './progress';
import { evaluateQuality } from './quality';

type StepAwareControl = RunControl & { onStep: (step: number, index: number, count: number) => void };

/** The control an evaluation runs under: progress events for `kind`, and the task's cancellation. */
function controlFor(project: Project, kind: EvalKind, ctx: TaskContext): StepAwareControl {
  let last = 0;
  let lastPhase = '';
  let where: Pick<EvalProgress, 'step' | 'stepIndex' | 'stepCount'> = {};
  return {
    check: () => throwIfCancelled(ctx.signal, 'Evaluation cancelled'),
    onProgress: (p: EvalProgressUpdate) => {
      const now = Date.now();
      // Always send a new phase and a finished one; in between at most ~8 a second.
      if (p.phase === lastPhase && p.done < p.total && now - last < 125) return;
      last = now;
      lastPhase = p.phase;
      ctx.emit('eval.progress', { dir: project.dir, kind, ...p, ...where });
    },
    onStep: (step, stepIndex, stepCount) => {
      where = { step, stepIndex, stepCount };
    },
  };
}

export const evalTasks: TasksOf<typeof evalContract> = {
  evalFeatures: async (project, options, ctx) => evaluateFeatures(project, options, controlFor(project, 'features', ctx)),
  evalQuality: async (project, options, ctx) => evaluateQuality(project, options, controlFor(project, 'quality', ctx)),
  evalMemorisation: async (project, options, ctx) => evaluateMemorisation(project, options, controlFor(project, 'memorisation', ctx)),
};
