import { readableMessage } from '$shared/errors';
import { downloadDataUrl } from '../download';
import type {
  BackendReport,
  CheckpointInfo,
  GanvasBridge,
  MetricRow,
  ProjectSummary,
  SampleGridInfo,
  TrainingState,
  TrainingStatus,
  TrainTarget,
} from '../api-types';

/** States in which no run holds the project: training can start, rollback is allowed. */
const settledStates: TrainingState[] = ['idle', 'finished', 'error'];
const gridCacheSize = 48;

/** Everything the project view shows for one open project, kept current by engine events. */
export class ProjectSession {
  summary: ProjectSummary;
  status: TrainingStatus;
  // Raw: thousands of rows are replaced wholesale, never mutated, so no deep proxies.
  metrics = $state.raw<MetricRow[]>([]);
  grids = $state.raw<SampleGridInfo[]>([]);
  checkpoints = $state.raw<CheckpointInfo[]>([]);
  backend = $state.raw<BackendReport | null>(null);
  /** Step of the grid the scrubber points at; null follows the newest grid. */
  pinnedGridStep = $state<number | null>(null);
  shownGrid = $state.raw<{ step: number; url: string } | null>(null);

  readonly dir: string;
  // A plain cache of decoded grids: nothing renders from it directly, so it need not be reactive.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #images = new Map<number, string>();
  #unsubscribe: (() => void)[] = [];
  #gridRequest = 0;

  constructor(
    private readonly api: GanvasBridge,
    summary: ProjectSummary,
    private readonly reportError: (message: string) => void,
  ) {
    this.dir = summary.dir;
    this.summary = $state.raw(summary);
    this.status = $state.raw({
      dir: summary.dir,
      state: 'idle',
      step: summary.step,
      epoch: summary.epoch,
      targetStep: 0,
      imagesPerSec: 0,
      etaSeconds: null,
    });
    this.grids = summary.samples;
    this.checkpoints = summary.checkpoints;
    this.#unsubscribe = [
      api.on('training.status', (status) => status.dir === this.dir && this.#onStatus(status)),
      api.on('training.metrics', ({ dir, rows }) => dir === this.dir && this.#appendMetrics(rows)),
      api.on('training.sample', ({ dir, grid }) => dir === this.dir && this.#addGrid(grid)),
    ];
  }

  get displayedGridStep(): number | null {
    return this.pinnedGridStep ?? this.grids.at(-1)?.step ?? null;
  }

  /** A run holds the project (starting, running, paused or stopping). */
  get isActive(): boolean {
    return !settledStates.includes(this.status.state);
  }

  /** Fetches what the summary does not carry: the run's status and the metric rows. */
  async load(): Promise<void> {
    await this.#guard(async () => {
      const [status, metrics] = await Promise.all([this.api.trainingStatus({ dir: this.dir }), this.api.metrics({ dir: this.dir })]);
      this.#onStatus(status);
      this.metrics = metrics;
      await this.#showGrid();
      if (!this.backend) this.backend = await this.api.backends({});
    });
  }

  start(target: TrainTarget): Promise<void> {
    return this.#guard(async () => this.#onStatus(await this.api.startTraining({ dir: this.dir, ...target })));
  }
  pause(): Promise<void> {
    return this.#guard(async () => this.#onStatus(await this.api.pauseTraining({ dir: this.dir })));
  }
  resume(): Promise<void> {
    return this.#guard(async () => this.#onStatus(await this.api.resumeTraining({ dir: this.dir })));
  }
  stop(): Promise<void> {
    return this.#guard(async () => this.#onStatus(await this.api.stopTraining({ dir: this.dir })));
  }

  async rollback(step: number): Promise<void> {
    await this.#guard(async () => {
      const summary = await this.api.rollback({ dir: this.dir, step });
      this.summary = summary;
      this.grids = summary.samples;
      this.checkpoints = summary.checkpoints;
      this.pinnedGridStep = null;
      this.#images.clear();
    });
    await this.load();
  }

  selectGrid(step: number | null): void {
    this.pinnedGridStep = step === this.grids.at(-1)?.step ? null : step;
    void this.#showGrid();
  }

  exportShownGrid(): void {
    if (this.shownGrid) downloadDataUrl(this.shownGrid.url, `${this.summary.config.name}-step-${this.shownGrid.step}.png`);
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
  }

  #onStatus(status: TrainingStatus): void {
    const wasActive = this.isActive;
    this.status = status;
    if (status.backend) this.backend = status.backend;
    if (status.state === 'error' && status.message) this.reportError(status.message);
    // A run that just settled has written its last checkpoint.
    if (wasActive && !this.isActive) {
      void this.#guard(async () => {
        this.checkpoints = await this.api.checkpoints({ dir: this.dir });
      });
    }
  }

  #appendMetrics(rows: MetricRow[]): void {
    const lastStep = this.metrics.at(-1)?.step ?? -1;
    const fresh = rows.filter((row) => row.step > lastStep);
    if (fresh.length) this.metrics = this.metrics.concat(fresh);
  }

  #addGrid(grid: SampleGridInfo): void {
    this.grids = [...this.grids.filter((known) => known.step !== grid.step), grid].sort((a, b) => a.step - b.step);
    if (this.pinnedGridStep === null) void this.#showGrid();
  }

  async #showGrid(): Promise<void> {
    const step = this.displayedGridStep;
    const request = ++this.#gridRequest;
    if (step === null) {
      this.shownGrid = null;
      return;
    }
    const url = this.#images.get(step) ?? (await this.#fetchGrid(step));
    // A newer request (scrubbing fast, a new grid arriving) wins over a slow older one.
    if (url && request === this.#gridRequest) this.shownGrid = { step, url };
  }

  async #fetchGrid(step: number): Promise<string | undefined> {
    try {
      const url = `data:image/png;base64,${await this.api.sampleGridImage({ dir: this.dir, step })}`;
      this.#images.set(step, url);
      if (this.#images.size > gridCacheSize) this.#images.delete(this.#images.keys().next().value!);
      return url;
    } catch (error) {
      this.reportError(readableMessage(error));
      return undefined;
    }
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.reportError(readableMessage(error));
    }
  }
}
