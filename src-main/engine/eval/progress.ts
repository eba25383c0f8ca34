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
  /** Throws EvalCancelled when the run should stop; called between chunks. */
  check?: () => void;
}

export class EvalCancelled extends Error {
  constructor() {
    super('Evaluation cancelled');
    this.name = 'EvalCancelled';
  }
}

export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A cancellation flag with a `check` that throws once it is set. */
export class CancelToken {
  cancelled = false;
  readonly check = () => {
    if (this.cancelled) throw new EvalCancelled();
  };
}
