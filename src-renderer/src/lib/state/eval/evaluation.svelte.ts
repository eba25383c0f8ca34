import type { EvalKind, EvalLogs, EvalProgress, FeatureEvalResult, LinearLossName, MemorisationResult, QualityRow } from '../../api-types';
import { formSettings, type LabelChoice } from '../../eval-settings';
import { attempt, reportFailure } from '../notify';
import { ProjectPart } from '../project-part';

export { LABEL_CHOICES, type LabelChoice } from '../../eval-settings';

/**
 * The Evaluate tab of one project: the saved logs, the options of each evaluation, the one
 * evaluation that may run at a time and its progress. Results replace the logs wholesale
 * (`$state.raw`), so the views only read.
 */
export class EvaluationState extends ProjectPart {
  logs = $state.raw<EvalLogs | null>(null);
  running = $state<EvalKind | null>(null);
  progress = $state.raw<EvalProgress | null>(null);

  // Classification (paper Sec. 5.1)
  labels = $state<LabelChoice[]>([100, 1000]);
  testSize = $state(2000);
  loss = $state<LinearLossName>('l2svm');

  // Quality score
  fdSamples = $state(2000);
  /** Score each checkpoint as training writes it (costs training some speed). */
  autoScore = $state(false);

  // Memorisation
  memSamples = $state(128);
  memReference = $state(10_000);
  /** Checkpoint to check; null = the newest. */
  memStep = $state<number | null>(null);
  memResult = $state.raw<MemorisationResult | null>(null);

  /** Newest checkpoint auto-scoring has started on. */
  #lastAutoStep = 0;
  // Auto-scoring: each time training has written a checkpoint newer than the last one scored.
  readonly #watch = this.watchCheckpoints(
    () => this.autoScore && !this.running && !this.logs?.labelsMissing,
    (newest) => {
      if (newest <= this.#lastAutoStep || this.running) return;
      this.#lastAutoStep = newest;
      void this.runQuality('new');
    },
  );
  readonly #unsubscribe = this.api.on('eval.progress', (p) => {
    if (p.dir === this.dir && this.running === p.kind) this.progress = p;
  });

  /** The newest classification run. */
  get latestFeatures(): FeatureEvalResult | null {
    return this.logs?.features.at(-1) ?? null;
  }

  /** The quality row with the lowest FD: the checkpoint to keep. */
  get bestQuality(): QualityRow | null {
    const rows = this.logs?.quality ?? [];
    return rows.length ? rows.reduce((a, b) => (b.fd < a.fd ? b : a)) : null;
  }

  load(): Promise<void> {
    return attempt(this.notify, async () => {
      this.logs = await this.api.evalLogs({ dir: this.dir });
    });
  }

  /** The logs, and the forms set to what the shown results were computed with (not the defaults). */
  protected override async firstLoad(): Promise<void> {
    await this.load();
    if (this.logs) Object.assign(this, formSettings(this.logs));
  }

  toggleLabel(choice: LabelChoice): void {
    this.labels = this.labels.includes(choice) ? this.labels.filter((c) => c !== choice) : [...this.labels, choice];
  }

  runFeatures(): Promise<void> {
    if (this.labels.length === 0) {
      this.notify.error('Choose at least one number of labelled examples.');
      return Promise.resolve();
    }
    return this.#run('features', () =>
      this.api.evalFeatures({ dir: this.dir, labels: [...this.labels], testSize: this.testSize, loss: this.loss }),
    );
  }

  /** 'new': checkpoints not scored yet; 'all': every checkpoint again. */
  runQuality(steps: 'new' | 'all' | 'latest', retrain = false): Promise<void> {
    return this.#run('quality', async () => {
      const result = await this.api.evalQuality({ dir: this.dir, steps, nReal: this.fdSamples, nFake: this.fdSamples, retrain });
      for (const s of result.skipped) this.notify.info(`Step ${s.step} was not scored: ${s.reason}`);
      if (result.evaluated.length === 0 && steps === 'new' && !retrain)
        this.notify.info('Every checkpoint already has a score with these settings.');
    });
  }

  /** One checkpoint with its nearest-neighbour images, or every checkpoint's distance statistics. */
  runMemorisation(all = false): Promise<void> {
    const steps = all ? ('all' as const) : this.memStep === null ? ('latest' as const) : [this.memStep];
    return this.#run('memorisation', async () => {
      const result = await this.api.evalMemorisation({
        dir: this.dir,
        steps,
        samples: this.memSamples,
        reference: this.memReference,
        show: 8,
        neighbours: 3,
      });
      for (const s of result.skipped) this.notify.info(`Step ${s.step} was not checked: ${s.reason}`);
      if (result.examples.length) this.memResult = result;
    });
  }

  cancel(): Promise<void> {
    return attempt(this.notify, async () => {
      await this.api.evalCancel({ dir: this.dir });
    });
  }

  dispose(): void {
    this.#unsubscribe();
    this.#watch.dispose();
  }

  async #run(kind: EvalKind, work: () => Promise<unknown>): Promise<void> {
    if (this.running) return;
    this.running = kind;
    this.progress = null;
    try {
      await work();
    } catch (error) {
      reportFailure(this.notify, error, 'Evaluation cancelled.');
    } finally {
      this.running = null;
      this.progress = null;
      await this.load();
    }
  }
}
