import type { GanvasBridge } from '../api-types';

/** At most one checkpoint check per this many ms while training streams events. */
const CHECK_EVERY_MS = 2000;

/**
 * Notices when training has written a newer checkpoint, by asking the engine: the weights on
 * disk change only then. Training events trigger throttled checks of the checkpoint list, with
 * a trailing check so a run's final checkpoint is always seen. Checks run only while
 * `wanted()` says so (a view on screen, auto-scoring on).
 */
export class CheckpointWatch {
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastCheck = 0;
  #unsubscribe: (() => void)[];

  constructor(
    private readonly api: GanvasBridge,
    private readonly dir: string,
    private readonly wanted: () => boolean,
    /** Called after each check with the newest checkpoint's step. */
    private readonly onChecked: (newest: number) => void,
  ) {
    const onTraining = (eventDir: string) => eventDir === dir && this.check();
    this.#unsubscribe = [api.on('training.metrics', (e) => onTraining(e.dir)), api.on('training.status', (e) => onTraining(e.dir))];
  }

  /** Checks soon (throttled), when wanted. */
  check(): void {
    if (this.#timer || !this.wanted()) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#lastCheck = Date.now();
        void this.#read();
      },
      Math.max(0, this.#lastCheck + CHECK_EVERY_MS - Date.now()),
    );
  }

  dispose(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#timer) clearTimeout(this.#timer);
  }

  async #read(): Promise<void> {
    const checkpoints = await this.api.checkpoints({ dir: this.dir }).catch(() => []);
    if (checkpoints.length) this.onChecked(Math.max(...checkpoints.map((c) => c.step)));
  }
}
