/**
 * Bookkeeping of a projection, tf-free: each run's best z and loss, its loss history, and the
 * frames of the animation (the best reconstruction so far at evenly spaced steps).
 */

export interface ProjectionRun {
  index: number;
  /** Which random start (runs of one restart share their start z). */
  restart: number;
  label: number | null;
  start: Float32Array;
  /** z at this run's lowest loss. */
  z: Float32Array;
  loss: number;
  /** Mean squared pixel error at that z ([-1, 1] units). */
  pixel: number;
  perceptual: number;
  /** Loss at each of `historySteps`. */
  history: number[];
}

export interface ProjectionFrame {
  step: number;
  run: number;
  loss: number;
  /** [S*S*C] floats in [-1, 1]. */
  image: Float32Array;
}

export class ProjectionRecorder {
  private readonly state: ProjectionRun[];
  readonly historySteps: number[] = [];
  readonly frames: ProjectionFrame[] = [];
  private bestIndex = -1;
  /** Lowest loss over all runs, for the early stop. */
  private bestLoss = Infinity;

  constructor(
    starts: Float32Array,
    private readonly zDim: number,
    labels: (number | null)[],
    /** Runs per start: 1, or the number of classes when the class is searched. */
    runsPerRestart: number,
    private readonly historyEvery: number,
    private readonly frameEvery: number,
    /** This target's first row in the batch (rows are target-major). */
    private readonly rowOffset = 0,
  ) {
    this.state = labels.map((label, i) => ({
      index: i,
      restart: Math.floor(i / runsPerRestart),
      label,
      start: starts.slice(i * zDim, (i + 1) * zDim),
      z: starts.slice(i * zDim, (i + 1) * zDim),
      loss: Infinity,
      pixel: Infinity,
      perceptual: Infinity,
      history: [],
    }));
  }

  /**
   * Losses of step t at the z rows it evaluated (`z` [allRows * zDim], before the update; this
   * target's runs are rows rowOffset + index).
   * @returns whether the overall best improved by more than `tolerance` (relative).
   */
  observe(
    t: number,
    z: Float32Array,
    losses: { total: ArrayLike<number>; pixel: ArrayLike<number>; perceptual: ArrayLike<number> },
    tolerance: number,
  ): boolean {
    const record = t % this.historyEvery === 0;
    if (record) this.historySteps.push(t);
    let stepBest = Infinity;
    for (const run of this.state) {
      const row = this.rowOffset + run.index;
      const loss = losses.total[row];
      if (record) run.history.push(loss);
      if (loss < run.loss) {
        run.loss = loss;
        run.pixel = losses.pixel[row];
        run.perceptual = losses.perceptual[row];
        run.z = z.slice(row * this.zDim, (row + 1) * this.zDim);
      }
      if (run.loss < stepBest) {
        stepBest = run.loss;
        this.bestIndex = run.index;
      }
    }
    const improved = stepBest < this.bestLoss * (1 - tolerance);
    if (stepBest < this.bestLoss) this.bestLoss = stepBest;
    return improved;
  }

  frameDue(t: number): boolean {
    return t % this.frameEvery === 0;
  }

  addFrame(frame: ProjectionFrame): void {
    if (this.frames.at(-1)?.step === frame.step) return;
    this.frames.push(frame);
  }

  best(): ProjectionRun | null {
    return this.bestIndex >= 0 ? this.state[this.bestIndex] : null;
  }

  runs(): ProjectionRun[] {
    return this.state.map((r) => ({ ...r, start: r.start.slice(), z: r.z.slice(), history: r.history.slice() }));
  }
}
