/** Which checkpoints an evaluation visits. */
import { errorCode } from '../../shared/errors';
import type { Project } from '../project/project';

export type StepSelection = 'latest' | 'all' | 'new' | number[];

/**
 * Steps to evaluate. 'latest' is the newest checkpoint (0 = untrained weights when there is
 * none); 'new' is every checkpoint without a row in `done`; explicit steps must exist.
 */
export function selectSteps(project: Project, selection: StepSelection, done: ReadonlySet<number> = new Set()): number[] {
  const steps = project.checkpointSteps();
  if (selection === 'latest') return [steps.at(-1) ?? 0];
  if (selection === 'all') return steps.length ? steps : [0];
  if (selection === 'new') return steps.filter((s) => !done.has(s));
  for (const s of selection) {
    if (s !== 0 && !steps.includes(s)) throw new Error(`There is no checkpoint at step ${s} (checkpoints: ${steps.join(', ') || 'none'})`);
  }
  return [...new Set(selection)].sort((a, b) => a - b);
}

/**
 * An evaluation visiting many checkpoints skips one that was pruned while it ran or cannot be
 * read (damaged), and says why; anything else is a real failure.
 */
export function skipUnreadable(err: unknown, step: number, skipped: { step: number; reason: string }[]): void {
  if (errorCode(err) !== 'not-found' && errorCode(err) !== 'damaged') throw err;
  skipped.push({ step, reason: err instanceof Error ? err.message : String(err) });
}
