import { animationDialog } from '../../export-formats';
import type {
  AnimationFormat,
  BackendChoice,
  BackendReport,
  CheckpointInfo,
  GanvasBridge,
  ProjectNotice,
  MetricRow,
  ProjectSummary,
  TrainingState,
  TrainingStatus,
  TrainTarget,
} from '../../api-types';
import { ArithState } from '../arith/arith.svelte';
import { DirectionState } from '../arith/direction.svelte';
import { EvaluationState } from '../eval/evaluation.svelte';
import { FeaturesState } from '../inspect/features.svelte';
import { FiltersState } from '../inspect/filters.svelte';
import { ForgetState } from '../inspect/forget.svelte';
import { HealthState } from '../health/health.svelte';
import { GuidedState } from '../inspect/guided.svelte';
import { ProjectionState } from '../invert/projection.svelte';
import { DiscoveredState } from '../latent/discovered.svelte';
import { GalleryState } from '../latent/gallery.svelte';
import { WalkState } from '../latent/walk.svelte';
import { attempt, type Notify } from '../notify';
import { ExportJob } from '../export-job.svelte';
import { ExploreCheckpoint, type ExploreChoice } from './explore-checkpoint.svelte';
import { SampleGrids } from './sample-grids.svelte';

/** States in which no run holds the project: training can start, rollback is allowed. */
const settledStates: TrainingState[] = ['idle', 'finished', 'error'];

/**
 * One open project: its training (status, metrics, checkpoints, sample grids), kept current by
 * engine events, and the state of every tab. Each tab's state is made here, once, and loads
 * when its tab first opens; components only read it and call its methods.
 */
export class ProjectSession {
  summary: ProjectSummary;
  status: TrainingStatus;
  // Raw: thousands of rows are replaced wholesale, never mutated, so no deep proxies.
  metrics = $state.raw<MetricRow[]>([]);
  checkpoints = $state.raw<CheckpointInfo[]>([]);
  backend = $state.raw<BackendReport | null>(null);
  /** Where pictures (samples, walks, feature maps) are drawn, and why there: see drawOn. */
  drawing = $state.raw<BackendReport | null>(null);
  /** What the engine repaired or set aside in this project (damaged checkpoints, torn files), oldest first. */
  notices = $state.raw<ProjectNotice[]>([]);

  readonly dir: string;
  readonly grids: SampleGrids;
  /** One gallery for the walks and arithmetic tabs: a sample saved in one shows in the other. */
  readonly gallery: GalleryState;
  readonly walk: WalkState;
  readonly arith: ArithState;
  readonly direction: DirectionState;
  readonly inside: { filters: FiltersState; features: FeaturesState; guided: GuidedState; forget: ForgetState };
  readonly evaluation: EvaluationState;
  /** False for a model imported without training images: training and evaluations need them. */
  readonly hasDataset: boolean;
  /** Run health: label-free scores, notices, the best checkpoint (shown in the training view). */
  readonly health: HealthState;
  /** Bring your own image (image -> z), discovered directions, and the training timelapse's export. */
  readonly projection: ProjectionState;
  readonly discovered: DiscoveredState;
  readonly timelapse: ExportJob;
  /** Which checkpoint walks and arithmetic draw with: run health's best (default) or the newest. */
  readonly explore = new ExploreCheckpoint();
  #unsubscribe: (() => void)[] = [];

  constructor(
    private readonly api: GanvasBridge,
    summary: ProjectSummary,
    private readonly notify: Notify,
  ) {
    const dir = (this.dir = summary.dir);
    this.summary = $state.raw(summary);
    this.status = $state.raw({
      dir,
      state: 'idle',
      step: summary.step,
      epoch: summary.epoch,
      targetStep: 0,
      imagesPerSec: 0,
      etaSeconds: null,
    });
    this.checkpoints = summary.checkpoints;
    this.notices = summary.notices;
    this.grids = new SampleGrids(api, dir, notify);
    this.grids.list = summary.samples;

    const { config } = summary;
    this.hasDataset = config.dataset.source.kind !== 'none';
    const classNames = config.model.numClasses > 0 ? config.dataset.classes : [];
    // The exploring tabs' bridge adds `checkpoint: 'best'` to their drawing calls (see ExploreCheckpoint).
    const explore = this.explore.wrap(api);
    this.gallery = new GalleryState(explore, dir, notify);
    this.walk = new WalkState(
      explore,
      dir,
      { zDim: config.model.zDim, numClasses: config.model.numClasses, classNames, projectName: config.name },
      notify,
    );
    this.arith = new ArithState(explore, dir, notify);
    this.direction = new DirectionState(explore, dir, notify);
    this.inside = {
      filters: new FiltersState(api, dir, notify),
      features: new FeaturesState(api, dir, notify),
      guided: new GuidedState(api, dir, notify),
      forget: new ForgetState(api, dir, notify),
    };
    this.evaluation = new EvaluationState(api, dir, notify);
    this.health = new HealthState(api, dir, notify);
    this.projection = new ProjectionState(api, dir, notify, this.gallery);
    this.discovered = new DiscoveredState(api, dir, notify);
    this.timelapse = new ExportJob(api, dir, notify);

    this.#unsubscribe = [
      api.on('training.status', (status) => status.dir === dir && this.#onStatus(status)),
      api.on('training.metrics', (event) => event.dir === dir && this.#appendMetrics(event.rows)),
      api.on('training.sample', (event) => event.dir === dir && this.grids.add(event.grid)),
      api.on('project.notice', ({ dir: noticeDir, ...notice }) => {
        if (noticeDir !== dir) return;
        // The compute window went while drawing (the app's toast says so): show where pictures
        // are drawn now. Not a repair, so not in the project's list of repairs.
        if (notice.kind === 'device-lost') void attempt(this.notify, async () => void (this.drawing = await this.api.backends({})));
        else this.notices = [...this.notices, notice];
      }),
    ];
  }

  /** A run holds the project (starting, running, paused or stopping). */
  get isActive(): boolean {
    return !settledStates.includes(this.status.state);
  }

  /** Nothing learned yet: no checkpoint (an imported model has its weights at step 0) and no step trained. */
  get untrained(): boolean {
    return this.checkpoints.length === 0 && this.status.step === 0;
  }

  /** Fetches what the summary does not carry: the run's status and the metric rows. */
  load(): Promise<void> {
    return attempt(this.notify, async () => {
      const [status, metrics] = await Promise.all([this.api.trainingStatus({ dir: this.dir }), this.api.metrics({ dir: this.dir })]);
      this.#onStatus(status);
      this.metrics = metrics;
      void this.health.load();
      await this.grids.show();
      if (!this.backend || !this.drawing) {
        this.drawing = await this.api.backends({});
        this.backend ??= this.drawing;
      }
    });
  }

  /** Switches the checkpoint walks and arithmetic draw with, and draws again what they show. */
  async exploreWith(choice: ExploreChoice): Promise<void> {
    this.explore.set(choice);
    await this.#redraw();
  }

  /**
   * Draws pictures on `choice` from now on (the compute window's WebGPU, a Node backend, or the
   * best available), then draws again what the views show. A choice that cannot be had keeps the
   * current one and says why.
   */
  async drawOn(choice: BackendChoice): Promise<void> {
    const before = this.drawing;
    await attempt(this.notify, async () => {
      this.drawing = await this.api.backends({ backend: choice });
      await this.#redraw();
    });
    // Unchanged after a refusal: a new object so the picker shows the current choice again.
    if (this.drawing === before && before) this.drawing = { ...before };
  }

  async #redraw(): Promise<void> {
    const redraw: Promise<void>[] = [];
    if (this.gallery.fresh.length || this.gallery.saved.length) redraw.push(this.gallery.regenerate(this.gallery.seed));
    if (this.walk.frames.spec) redraw.push(this.walk.build());
    if (this.arith.result) redraw.push(this.arith.compose());
    await Promise.all(redraw);
  }

  /** `workers`: data-parallel training workers on the CPU backends (absent: automatic, one per core). */
  start(target: TrainTarget & { backend?: BackendChoice; workers?: number }): Promise<void> {
    return this.#control(() => this.api.startTraining({ dir: this.dir, ...target }));
  }
  pause(): Promise<void> {
    return this.#control(() => this.api.pauseTraining({ dir: this.dir }));
  }
  resume(): Promise<void> {
    return this.#control(() => this.api.resumeTraining({ dir: this.dir }));
  }
  stop(): Promise<void> {
    return this.#control(() => this.api.stopTraining({ dir: this.dir }));
  }

  async rollback(step: number): Promise<void> {
    await attempt(this.notify, async () => {
      const summary = await this.api.rollback({ dir: this.dir, step });
      this.summary = summary;
      this.checkpoints = summary.checkpoints;
      await this.grids.reset(summary.samples);
    });
    await this.load();
  }

  /** The saved grids beside the loss curves so far, as a GIF or video where the person chooses. */
  exportTimelapse(format: AnimationFormat, fps: number): Promise<void> {
    const dialog = animationDialog('Export the training timelapse', `${this.summary.config.name}-timelapse`, format);
    return this.timelapse.runWith(dialog, (out, id) => this.api.exportTimelapse({ dir: this.dir, options: { out, format, fps }, id }));
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.walk.dispose();
    this.direction.dispose();
    this.evaluation.dispose();
    this.health.dispose();
    this.inside.filters.dispose();
    this.inside.forget.dispose();
    this.inside.features.excite.dispose();
    this.projection.dispose();
    this.discovered.dispose();
    this.timelapse.dispose();
  }

  #control(call: () => Promise<TrainingStatus>): Promise<void> {
    return attempt(this.notify, async () => this.#onStatus(await call()));
  }

  #onStatus(status: TrainingStatus): void {
    const wasActive = this.isActive;
    this.status = status;
    if (status.backend) this.backend = status.backend;
    if (status.state === 'error' && status.message) this.notify.error(status.message);
    // A run that just settled has written its last checkpoint.
    if (wasActive && !this.isActive) {
      void attempt(this.notify, async () => {
        this.checkpoints = await this.api.checkpoints({ dir: this.dir });
        await this.health.load();
      });
    }
  }

  #appendMetrics(rows: MetricRow[]): void {
    const lastStep = this.metrics.at(-1)?.step ?? -1;
    const fresh = rows.filter((row) => row.step > lastStep);
    if (fresh.length) this.metrics = this.metrics.concat(fresh);
  }
}
