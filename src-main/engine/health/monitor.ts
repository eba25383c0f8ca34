/**
 * Run health while training, in the training host itself: each checkpoint the trainer writes is
 * scored label-free in small chunks BETWEEN training steps, and only while the time spent scoring
 * stays within `share` (default 5%) of the time spent training in this run. Training and scoring
 * take turns on one thread, so every millisecond of scoring is a millisecond training waits and
 * the budget is the real slowdown, on any machine (a second process would compete for the same
 * cores or GPU, and its cost could only be guessed). A chunk is granted only when the scoring so
 * far plus the last chunk's time stays within the share, so the run's total overshoots it by at
 * most one chunk (32 samples: well under a second for the MNIST preset).
 *
 * While a checkpoint is being scored newer ones land: the newest waits, the ones between are left
 * for scoring on demand afterwards (healthScore), when nothing competes with training. The
 * metrics-only detectors (non-finite values, a discriminator overpowering G) run at every
 * checkpoint. New notices are logged in metrics.jsonl and announced through `onUpdate`.
 */
import type { HealthUpdate } from '../../shared/types/health';
import { cancelled, errorCode } from '../../shared/errors';
import type { Project } from '../project/project';
import { HEALTH_SCORING_SHARE, withinBudget } from './budget';
import { bestCheckpoint, healthUnavailable, recordScores } from './report';
import { ProjectScorer } from './scorer';

/** Samples per chunk of scoring work while training: small, so training never waits long at once. */
export const MONITOR_CHUNK = 32;

export interface MonitorOptions {
  onUpdate(update: Omit<HealthUpdate, 'dir'>): void;
  /** Share of training time scoring may take. */
  share?: number;
  chunk?: number;
  /** Milliseconds clock (tests pass their own). */
  now?: () => number;
}

export class HealthMonitor {
  private scorer: ProjectScorer | null = null;
  private pending: number | null = null;
  private job: Promise<void> | null = null;
  /** The scorer waiting at its gate for a turn, and how to end the turn it is in. */
  private waiting: { go: () => void; stop: (err: Error) => void } | null = null;
  private endTurn: (() => void) | null = null;
  private closed = false;
  private best: number | null;
  private readonly unavailable: string | null;
  private readonly now: () => number;
  private markAt: number;
  /** Milliseconds of this run: training, scoring, and the last turn's length (the next one's estimate). */
  readonly spent = { trainingMs: 0, scoringMs: 0, lastTurnMs: 0, turns: 0 };

  constructor(
    readonly project: Project,
    private readonly options: MonitorOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.markAt = this.now();
    this.unavailable = healthUnavailable(project.config);
    this.best = bestCheckpoint(project)?.step ?? null;
  }

  /** Steps pruning must keep: the best checkpoint. */
  keep(): number[] {
    return this.best === null ? [] : [this.best];
  }

  /** The trainer wrote a checkpoint: diagnose the metrics now, and score it when the budget allows. */
  checkpointWritten(step: number): void {
    if (this.closed) return;
    this.announce(recordScores(this.project, []));
    if (this.unavailable) return;
    this.pending = step;
    this.job ??= this.work();
  }

  /**
   * Called between training steps: counts the time since the last call as training, then lets
   * the scorer run one chunk if the budget allows, and returns when that chunk is done.
   */
  async betweenSteps(): Promise<void> {
    const start = this.now();
    this.spent.trainingMs += start - this.markAt;
    this.markAt = start;
    const waiting = this.waiting;
    if (!waiting) return;
    const share = this.options.share ?? HEALTH_SCORING_SHARE;
    const state = { trainingSeconds: this.spent.trainingMs / 1000, scoringSeconds: this.spent.scoringMs / 1000 };
    if (!withinBudget(state, this.spent.lastTurnMs / 1000, share)) return;
    this.waiting = null;
    const ended = new Promise<void>((resolve) => (this.endTurn = resolve));
    waiting.go();
    await ended;
    const end = this.now();
    this.spent.lastTurnMs = end - start;
    this.spent.scoringMs += end - start;
    this.spent.turns += 1;
    this.markAt = end;
  }

  /** Stops scoring (an unfinished score is dropped; healthScore can redo it) and frees the feature space. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting?.stop(cancelled('Training ended before this checkpoint was scored'));
    this.waiting = null;
    await this.job;
    this.scorer?.dispose();
    this.scorer = null;
  }

  /** What the scorer awaits before each chunk: the current turn ends, the next starts when betweenSteps grants it. */
  private gate = (): Promise<void> => {
    this.finishTurn();
    if (this.closed) return Promise.reject(cancelled());
    return new Promise<void>((go, stop) => (this.waiting = { go, stop }));
  };

  private finishTurn(): void {
    const end = this.endTurn;
    this.endTurn = null;
    end?.();
  }

  private async work(): Promise<void> {
    try {
      while (this.pending !== null && !this.closed) {
        await this.gate(); // everything a score does, opening the space included, happens in turns
        const step = this.pending;
        this.pending = null;
        try {
          this.scorer ??= ProjectScorer.open(this.project);
          const record = await this.scorer.score(step, { gate: this.gate, chunk: this.options.chunk ?? MONITOR_CHUNK });
          this.announce(recordScores(this.project, [record]));
        } catch (err) {
          // A checkpoint pruned or damaged meanwhile is skipped; anything else ends scoring for this run, never training.
          if (errorCode(err) !== 'not-found' && errorCode(err) !== 'damaged') throw err;
        }
      }
    } catch (err) {
      if (!this.closed) console.error(`Run health: scoring stopped for this run: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.job = null;
      this.finishTurn();
    }
  }

  private announce(update: Omit<HealthUpdate, 'dir'>): void {
    const best = update.best?.step ?? null;
    const changed = best !== this.best;
    this.best = best;
    if (update.records.length || update.notices.length || changed) this.options.onUpdate(update);
  }
}
