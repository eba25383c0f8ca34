import type { BestCheckpoint, HealthProgress, HealthReport } from '../../api-types';
import { attempt, reportFailure } from '../notify';
import { ProjectPart } from '../project-part';

/**
 * Run health of one project (issue 18): the label-free scores, the notices with their advice,
 * the best checkpoint and the saved data check. Training scores new checkpoints on its own
 * (within a share of its time) and announces them as 'training.health'; the report is then
 * fetched again whole (it is small), so what the view shows is always what the engine decided.
 * Scoring on demand (what training skipped) runs one at a time, with progress and cancel.
 */
export class HealthState extends ProjectPart {
  report = $state.raw<HealthReport | null>(null);
  running = $state(false);
  progress = $state.raw<HealthProgress | null>(null);
  #loads = 0;
  readonly #unsubscribe = [
    this.api.on('training.health', (update) => {
      if (update.dir !== this.dir) return;
      // A new notice may come while the panel is scrolled away: say so once, where it is seen.
      for (const n of update.notices) this.notify.info(`Run health: ${n.title} (step ${n.step}). See Run health in the Training tab.`);
      void this.load();
    }),
    this.api.on('health.progress', (p) => {
      if (p.dir === this.dir && this.running) this.progress = p;
    }),
  ];

  get best(): BestCheckpoint | null {
    return this.report?.best ?? null;
  }

  /** Checkpoints waiting for a label-free score (those training skipped to stay within its budget). */
  get unscored(): number {
    return this.report?.unscored.length ?? 0;
  }

  /** Fetches the report again; an older answer never replaces a newer one. */
  load(): Promise<void> {
    const load = ++this.#loads;
    return attempt(this.notify, async () => {
      const report = await this.api.healthReport({ dir: this.dir });
      if (load === this.#loads) this.report = report;
    });
  }

  protected override firstLoad(): Promise<void> {
    return this.load();
  }

  /** 'new': checkpoints without a score; 'all': every checkpoint again. */
  async score(steps: 'new' | 'all' = 'new'): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.progress = null;
    try {
      const result = await this.api.healthScore({ dir: this.dir, steps });
      for (const s of result.skipped) this.notify.info(`Step ${s.step} was not scored: ${s.reason}`);
      this.#loads++;
      this.report = result.report;
    } catch (error) {
      reportFailure(this.notify, error, 'Scoring cancelled; the checkpoints scored so far are kept.');
      await this.load();
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  cancel(): Promise<void> {
    return attempt(this.notify, async () => {
      await this.api.healthCancel({ dir: this.dir });
    });
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
