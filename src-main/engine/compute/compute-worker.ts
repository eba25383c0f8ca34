/**
 * What a compute host does with each request, whichever transport brought it: tasks from the
 * contract (tasks.ts), one training run at a time with pause/resume/stop, and cancellation of
 * any request by id. Kept apart from the process plumbing (worker-entry.ts) so the CLI and the
 * tests can run it in-process.
 */
import type { Emit } from '../../shared/contract';
import { errorCode, GanvasError, invalid } from '../../shared/errors';
import type { BackendChoice, BackendReport, TrainingStatus } from '../../shared/types';
import { selectBackend } from '../backend/select';
import type { TaskContext } from '../handler-types';
import { HealthMonitor } from '../health/monitor';
import { Project } from '../project/project';
import { DeviceLostError } from '../train/device/device';
import { deferredDrawer } from '../sampling/drawer';
import { localDrawer } from '../sampling/local-drawer';
import { DeviceClient } from './browser/browser-device';
import { windowDrawer, withFallback, type WindowNetworks } from './browser/window-drawer';
import type { WindowState } from './browser/windows';
import type { ChildMessage, HostRequest, ParentMessage, TaskRequest, TrainRequest } from './protocol';
import { reportNotices, runTask } from './tasks';
import { chooseDevice, openTrainer, withWindowAttempt, type DevicePlace } from './train-device';

export class ComputeWorker {
  private backend: BackendReport | null = null;
  private paused = false;
  private stopping = false;
  private resumeWaiters: (() => void)[] = [];
  /** Pause requests waiting for the loop to really stop (between steps, after its checkpoint). */
  private pauseWaiters: (() => void)[] = [];
  private training = false;
  private running = new Map<number, AbortController>();
  /** Calls to this host's compute window (WebGPU runs and pictures), relayed by the engine. */
  private readonly window: DeviceClient;
  /** Where pictures are drawn (null: not chosen yet, 'auto' decides on the first picture). */
  private drawing: DevicePlace | null = null;
  /** The networks the compute window holds for pictures. */
  private readonly windowNets: WindowNetworks = { loaded: null };
  /** Why the window that drew pictures went, until a project has been told. */
  private untoldLoss: string | null = null;

  constructor(
    private readonly emit: Emit,
    private readonly reply: (msg: ChildMessage) => void,
  ) {
    this.window = new DeviceClient((device) => reply({ device }));
    const watch = (): void => void this.window.nextLoss().then((why) => (this.windowLost(why), watch()));
    watch();
  }

  /** Every message from the engine: a request, a cancellation, or the compute window's answer. */
  handle(message: ParentMessage): void {
    if ('cancel' in message) this.cancel(message.cancel);
    else if ('device' in message) this.window.receive(message.device);
    else this.receive(message.id, message.request);
  }

  /** Serves one request; the answer (or error, with its code) goes to `reply`. */
  receive(id: number, request: HostRequest): void {
    const controller = new AbortController();
    this.running.set(id, controller);
    this.serve(request, controller.signal)
      .then(
        (result): ChildMessage => ({ id, result }),
        (err: unknown): ChildMessage => ({
          id,
          error: err instanceof Error ? err.message : String(err),
          code: errorCode(err),
          ...(err instanceof GanvasError && { field: err.field, reason: err.reason }),
        }),
      )
      .then((message) => {
        this.running.delete(id);
        this.reply(message);
      });
  }

  /** Aborts a running request: its task sees the signal at its next chunk and ends as cancelled. */
  cancel(id: number): void {
    this.running.get(id)?.abort();
  }

  /** Aborts everything (the host is closing). */
  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
    this.stopping = true;
    this.resume();
  }

  private async useBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
    if (!this.backend || (choice !== 'auto' && choice !== this.backend.active)) this.backend = await selectBackend(choice);
    return this.backend;
  }

  private async serve(request: HostRequest, signal: AbortSignal): Promise<unknown> {
    switch (request.kind) {
      case 'task':
        return this.task(request, signal);
      case 'train':
        return this.train(request);
      case 'control':
        if (request.action === 'pause') {
          this.paused = true;
          // Answer once the loop has stopped, so "paused" never shows while a step still runs.
          if (this.training) return new Promise<null>((resolve) => this.pauseWaiters.push(() => resolve(null)));
        }
        if (request.action === 'resume') this.resume();
        if (request.action === 'stop') {
          this.stopping = true;
          this.resume();
        }
        return null;
    }
  }

  private settlePauses(): void {
    for (const done of this.pauseWaiters.splice(0)) done();
  }

  private resume(): void {
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  private async task(request: TaskRequest, signal: AbortSignal): Promise<unknown> {
    const backend = await this.useBackend();
    const ctx: TaskContext = {
      emit: this.emit,
      signal,
      backend,
      useBackend: (choice) => this.useBackend(choice),
      drawOn: (choice) => this.drawOn(choice, request.window).then((p) => p.report),
      // Where to draw is decided at the first picture: a task that draws nothing never opens a window.
      drawer: (project, gan) =>
        deferredDrawer(async () => {
          const place = await this.drawOn(undefined, request.window);
          const local = () => {
            this.tellLoss(project);
            return localDrawer(project.config.model, gan);
          };
          if (place.kind !== 'window') return local();
          const remote = windowDrawer(this.window, project.config.model, gan, this.windowNets);
          return withFallback(remote, local, (error) => error instanceof DeviceLostError);
        }),
    };
    return runTask(request.name, request.args, ctx);
  }

  /** What choosing a device needs from this host: its window, its backends. */
  private deviceParts() {
    return {
      window: this.window,
      useBackend: (choice?: BackendChoice) => this.useBackend(choice),
      releaseWindow: () => this.reply({ releaseWindow: true }),
    };
  }

  /**
   * Chooses where pictures are drawn: `choice` (absent: keep the current place; 'auto' the first
   * time), by the same order as training. An engine without compute windows draws here.
   */
  private async drawOn(choice: BackendChoice | undefined, window: WindowState | undefined): Promise<DevicePlace> {
    if (choice === undefined && this.drawing) return this.drawing;
    // Explicitly back to 'auto' after a named backend: this process picks its best again.
    if (choice === 'auto' && this.backend && this.backend.requested !== 'auto') this.backend = await selectBackend('auto');
    if (!window && choice !== 'webgpu') {
      this.drawing = { kind: 'node', report: await this.useBackend(choice) };
      return this.drawing;
    }
    const place = await chooseDevice(choice ?? 'auto', window, this.deviceParts());
    if (place.kind === 'node') this.windowNets.loaded = null;
    this.drawing = place;
    return place;
  }

  /** The compute window went (closed, crashed, its GPU device lost): pictures are drawn here from now on. */
  private windowLost(why: string): void {
    this.windowNets.loaded = null;
    if (this.drawing?.kind !== 'window' || !this.backend) return;
    this.drawing = {
      kind: 'node',
      report: withWindowAttempt(this.backend, { name: 'webgpu', ok: false, reason: `the compute window was lost: ${why}` }),
    };
    this.untoldLoss = why;
  }

  /** The first project drawn after the window went says so (not persisted: no file changed). */
  private tellLoss(project: Project): void {
    if (this.untoldLoss === null) return;
    project.notice(
      'device-lost',
      `The compute window was lost while drawing (${this.untoldLoss}); pictures are drawn on ${this.backend?.active} now.`,
      false,
    );
    this.untoldLoss = null;
  }

  private async train(request: TrainRequest): Promise<TrainingStatus> {
    if (!request.dir) throw invalid('A training request needs a project folder');
    const project = Project.open(request.dir);
    // The run's health scores use this process's tfjs, whichever device trains.
    const trainer = await openTrainer(project, request, this.deviceParts());
    this.training = true;
    reportNotices(project, this.emit);
    // Label-free scores of new checkpoints, between steps and within a share of training time.
    const health = new HealthMonitor(project, { onUpdate: (update) => this.emit('training.health', { dir: trainer.dir, ...update }) });
    try {
      const control = {
        stopRequested: () => this.stopping,
        pauseRequested: () => this.paused,
        whilePaused: async () => {
          if (!this.paused) return;
          this.emit('training.status', trainer.status('paused'));
          this.settlePauses();
          await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
          if (!this.stopping) this.emit('training.status', trainer.status('running'));
        },
      };
      return await trainer.run(request.target, control, {
        onStatus: (s) => this.emit('training.status', s),
        onMetrics: (rows) => this.emit('training.metrics', { dir: trainer.dir, rows }),
        onSample: (grid) => this.emit('training.sample', { dir: trainer.dir, grid }),
        onCheckpoint: (step) => health.checkpointWritten(step),
        betweenSteps: () => health.betweenSteps(),
        keepCheckpoints: () => health.keep(),
      });
    } finally {
      await health.close();
      this.training = false;
      this.settlePauses(); // a run that ended before it could pause answers its pause too
      trainer.dispose();
    }
  }
}
