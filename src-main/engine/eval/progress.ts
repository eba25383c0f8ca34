/**
 * Progress and cancellation for long evaluations. Evaluations run chunk by chunk and yield to
 * the event loop between chunks, so a worker can send progress events and receive a cancel
 * request while one runs.
 */

export interface EvalProgressUpdate {
  /** What is being computed, for people: "Features of the trained D (test set)". */
  phase: string;
  done: number;
  total: number;
}

export interface RunControl {
  onProgress?: (update: EvalProgressUpdate) => void;
  /** Throws a 'cancelled' error when the run should stop; called between chunks. */
  check?: () => void;
  /**
   * Awaited before each chunk: the caller decides when the next one may run (run health scores
   * in the training host between training steps, within a share of training time).
   */
  gate?: () => Promise<void>;
}

import { yieldToLoop } from '../handler-types';

export { yieldToLoop };

/**
 * Every 10 steps of a training loop and at its last: progress, a turn for the event loop (so a
 * cancel can arrive), and the cancel check.
 */
export async function trainingTick(step: number, steps: number, phase: string, control: RunControl): Promise<void> {
  if (step % 10 !== 9 && step !== steps - 1) return;
  control.onProgress?.({ phase, done: step + 1, total: steps });
  await yieldToLoop();
  control.check?.();
}
