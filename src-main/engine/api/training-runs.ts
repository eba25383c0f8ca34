/**
 * Training runs, one worker process per project being trained. The engine's process only
 * relays messages, so the UI stays responsive whatever the model size.
 */
import type { ApiEventName, ApiEvents } from '../../shared/contract';
import type { BackendChoice, TrainingStatus } from '../../shared/types';
import { projectSummary } from '../project/project';
import { WorkerClient } from '../worker/worker-client';

type Emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

/** How long a stopping worker may take to write its final checkpoint before it is killed. */
const STOP_GRACE_MS = 120_000;

class TrainingRun {
  status: TrainingStatus;
  readonly worker: WorkerClient;
  readonly finished: Promise<TrainingStatus>;

  constructor(dir: string, args: { steps?: number; epochs?: number; backend?: BackendChoice }, emit: Emit, onEnd: () => void) {
    const summary = projectSummary(dir);
    this.status = { dir, state: 'starting', step: summary.step, epoch: summary.epoch, targetStep: args.steps ?? 0, imagesPerSec: 0, etaSeconds: null };
    this.worker = new WorkerClient((event, payload) => {
      if (event === 'training.status') {
        const status = payload as TrainingStatus;
        // The run's end is announced below, once the run is deregistered, so a listener that
        // reacts to it (e.g. by starting again) finds the project free.
        if (status.state === 'finished' || status.state === 'idle') return;
        this.status = status;
      }
      emit(event, payload);
    });
    emit('training.status', this.status);
    this.finished = this.worker
      .call('train', { dir, ...args })
      .then(
        (final) => final,
        (err: Error) => ({ ...this.status, state: 'error' as const, message: err.message }),
      )
      .then(async (final) => {
        this.status = final;
        await this.worker.close();
        onEnd();
        emit('training.status', final);
        return final;
      });
  }
}

export class TrainingRuns {
  private runs = new Map<string, TrainingRun>();

  constructor(private readonly emit: Emit) {}

  get(dir: string): TrainingRun | undefined {
    return this.runs.get(dir);
  }

  start(dir: string, args: { steps?: number; epochs?: number; backend?: BackendChoice }): TrainingStatus {
    if (this.runs.has(dir)) throw new Error('This project is already training');
    const run = new TrainingRun(dir, args, this.emit, () => {
      if (this.runs.get(dir) === run) this.runs.delete(dir);
    });
    this.runs.set(dir, run);
    return run.status;
  }

  async pause(dir: string): Promise<TrainingStatus> {
    const run = this.require(dir);
    await run.worker.call('pause', {});
    run.status = { ...run.status, state: 'paused' };
    return run.status;
  }

  async resume(dir: string): Promise<TrainingStatus> {
    const run = this.require(dir);
    await run.worker.call('resume', {});
    run.status = { ...run.status, state: 'running' };
    return run.status;
  }

  /** Asks for a clean stop (checkpoint + grid at the current step) and waits for it. */
  async stop(dir: string): Promise<TrainingStatus> {
    const run = this.require(dir);
    run.status = { ...run.status, state: 'stopping' };
    this.emit('training.status', run.status);
    const killer = setTimeout(() => void run.worker.close(), STOP_GRACE_MS);
    await run.worker.call('stop', {}).catch(() => undefined);
    const final = await run.finished;
    clearTimeout(killer);
    return final;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((dir) => this.stop(dir)));
  }

  private require(dir: string): TrainingRun {
    const run = this.runs.get(dir);
    if (!run) throw new Error('This project is not training');
    return run;
  }
}
