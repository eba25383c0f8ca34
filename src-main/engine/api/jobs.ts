/**
 * Running jobs (exports, evaluations) by the key their contract declaration names: at most one
 * per key at a time, and cancelling a key aborts the job's signal, which the dispatcher turns into
 * a cancel message to the compute host that runs it.
 */
import { busy } from '../../shared/errors';

export class JobRegistry {
  private running = new Map<string, AbortController>();

  /** Runs `work` as the job `key`; a second job with the same key is refused while it runs. */
  async run<T>(key: string, busyMessage: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running.has(key)) throw busy(busyMessage);
    const controller = new AbortController();
    this.running.set(key, controller);
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(key);
    }
  }

  /** Asks the job to stop; false when no job has that key. */
  cancel(key: string): boolean {
    const job = this.running.get(key);
    job?.abort();
    return job !== undefined;
  }

  cancelAll(): void {
    for (const job of this.running.values()) job.abort();
  }
}
