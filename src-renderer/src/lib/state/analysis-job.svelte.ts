import type { AnalysisProgress, GanvasBridge } from '../api-types';
import { reportFailure, type Notify } from './notify';

/**
 * One long analysis at a time (a projection, a direction discovery, a feature optimisation): its
 * 'invert.progress' events (how far, ETA, a live preview), cancel, and failures as toasts.
 */
export class AnalysisJob<T> {
  progress = $state.raw<AnalysisProgress | null>(null);
  running = $state(false);
  #id: string | null = null;
  #unsubscribe: () => void;

  constructor(
    private readonly api: GanvasBridge,
    private readonly notify: Notify,
    /** What the toast says when the person cancels. */
    private readonly cancelledNote: string,
  ) {
    this.#unsubscribe = api.on('invert.progress', (p) => {
      if (p.id === this.#id) this.progress = p;
    });
  }

  /** Runs `call` with a fresh job id; resolves to its answer, or undefined when cancelled or failed. */
  async run(call: (id: string) => Promise<T>): Promise<T | undefined> {
    if (this.running) return undefined;
    const id = `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    this.#id = id;
    this.progress = null;
    this.running = true;
    try {
      return await call(id);
    } catch (error) {
      reportFailure(this.notify, error, this.cancelledNote);
      return undefined;
    } finally {
      this.running = false;
      this.#id = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.#id) await this.api.invertCancel({ id: this.#id });
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
