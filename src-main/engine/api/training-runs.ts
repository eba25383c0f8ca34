/**
 * Training runs, one compute host per project being trained. The engine's process only relays
 * messages, so the UI stays responsive whatever the model size.
 */
import type { Emit } from '../../shared/contract';
import { busy, notFound } from '../../shared/errors';
import type { BackendChoice, TrainingStatus, TrainTarget } from '../../shared/types';
import type { ComputeHost } from '../compute/host';
import type { Project } from '../project/project';

/** How a run trains: the backend and the data-parallel workers (absent: automatic). */
export interface RunOptions {
  backend?: BackendChoice;
  workers?: number;
}

/** How long a stopping run may take to write its final checkpoint before its host is killed. */
const STOP_GRACE_MS = 120_000;

class TrainingRun {
  status: TrainingStatus;
  readonly host: ComputeHost;
  readonly finished: Promise<TrainingStatus>;

  /**
   * @param emit the engine's event channel (the run's own announcements: starting, its end)
   * @param fromHost where the host's events go (TrainingRuns keeps the run's status from them)
   */
  constructor(
    project: Project,
    target: TrainTarget,
    options: RunOptions,
    emit: Emit,
    fromHost: Emit,
    newHost: (onEvent: Emit) => ComputeHost,
    onEnd: () => void,
  ) {
    const step = project.latestStep();
    this.status = {
      dir: project.dir,
      state: 'starting',
      step,
      epoch: project.epochAt(step),
      targetStep: target.untilStep ?? (target.moreSteps !== undefined ? step + target.moreSteps : 0),
      imagesPerSec: 0,
      etaSeconds: null,
    };
    this.host = newHost(fromHost);
    emit('training.status', this.status);
    this.finished = this.host
      .request({ kind: 'train', dir: project.dir, target, ...options, window: this.host.windowState() })
      .then(
        (final) => final,
        (err: Error) => ({ ...this.status, state: 'error' as const, message: err.message }),
      )
      .then(async (final) => {
        this.status = final;
        await this.host.close();
        onEnd();
        emit('training.status', final);
        return final;
      });
  }
}

export class TrainingRuns {
  private runs = new Map<string, TrainingRun>();

  constructor(
    private readonly emit: Emit,
    private readonly newHost: (onEvent: Emit) => ComputeHost,
  ) {}

  get(dir: string): TrainingRun | undefined {
    return this.runs.get(dir);
  }

  start(project: Project, target: TrainTarget, options: RunOptions = {}): TrainingStatus {
    if (this.runs.has(project.dir)) throw busy('This project is already training');
    // Declared first: the run announces its 'starting' status from its constructor.
    let run: TrainingRun | undefined = undefined;
    run = new TrainingRun(
      project,
      target,
      options,
      this.emit,
      (event, payload) => {
        // The run's end is announced by TrainingRun once it is deregistered, so a listener that
        // reacts to it (e.g. by starting again) finds the project free.
        if (event === 'training.status') {
          const status = payload as TrainingStatus;
          if (status.state === 'finished' || status.state === 'idle') return;
          if (run && this.runs.get(project.dir) === run) run.status = status;
        }
        this.emit(event, payload);
      },
      this.newHost,
      () => {
        if (this.runs.get(project.dir) === run) this.runs.delete(project.dir);
      },
    );
    this.runs.set(project.dir, run);
    return run.status;
  }

  async pause(dir: string): Promise<TrainingStatus> {
    const run = this.require(dir);
    await run.host.request({ kind: 'control', action: 'pause' });
    run.status = { ...run.status, state: 'paused' };
    return run.status;
  }

  async resume(dir: string): Promise<TrainingStatus> {
    const run = this.require(dir);
    await run.host.request({ kind: 'control', action: 'resume' });
    run.status = { ...run.status, state: 'running' };
    return run.status;
  }

  /** Asks for a clean stop (checkpoint + grid at the current step) and waits for it. */
  async stop(dir: string): Promise<TrainingStatus> {
    const run = this.require(dir);
    run.status = { ...run.status, state: 'stopping' };
    this.emit('training.status', run.status);
    const killer = setTimeout(() => void run.host.close(), STOP_GRACE_MS);
    await run.host.request({ kind: 'control', action: 'stop' }).catch(() => undefined);
    const final = await run.finished;
    clearTimeout(killer);
    return final;
  }

  /** Resolves when the project's run ends (at once when none runs). */
  async finished(dir: string): Promise<TrainingStatus | null> {
    return (await this.runs.get(dir)?.finished) ?? null;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((dir) => this.stop(dir)));
  }

  private require(dir: string): TrainingRun {
    const run = this.runs.get(dir);
    if (!run) throw notFound('This project is not training');
    return run;
  }
}
