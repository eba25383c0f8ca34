/**
 * What a worker process does for each request. Kept apart from the process plumbing
 * (worker-entry.ts) so tests can call it in-process.
 */
import path from 'node:path';
import type { ApiEventName, ApiEvents } from '../../shared/contract';
import type { BackendReport } from '../../shared/types';
import { selectBackend } from '../backend/select';
import { Trainer } from '../train/trainer';
import type { WorkerMethod, WorkerMethods } from './protocol';
import { tasks, type TaskName } from './tasks';

export type Emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

export class WorkerHandlers {
  private backend: BackendReport | null = null;
  private paused = false;
  private stopping = false;
  private resumeWaiters: (() => void)[] = [];

  constructor(private readonly emit: Emit) {}

  private async ensureBackend(choice: WorkerMethods['backends']['args']['backend'] = 'auto'): Promise<BackendReport> {
    if (!this.backend || (choice !== 'auto' && choice !== this.backend.active)) this.backend = await selectBackend(choice);
    return this.backend;
  }

  async handle<M extends WorkerMethod>(method: M, args: WorkerMethods[M]['args']): Promise<WorkerMethods[M]['result']> {
    const handlers: { [K in WorkerMethod]: (a: WorkerMethods[K]['args']) => Promise<WorkerMethods[K]['result']> } = {
      backends: (a) => this.ensureBackend(a.backend),
      train: (a) => this.train(a),
      pause: async () => {
        this.paused = true;
        return null;
      },
      resume: async () => this.resume(),
      stop: async () => {
        this.stopping = true;
        this.resume();
        return null;
      },
      task: (a) => this.task(a),
    };
    return handlers[method](args);
  }

  private resume(): null {
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
    return null;
  }

  private async train(args: WorkerMethods['train']['args']) {
    const backend = await this.ensureBackend(args.backend);
    const trainer = Trainer.open(path.resolve(args.dir), backend);
    try {
      const control = {
        stopRequested: () => this.stopping,
        whilePaused: async () => {
          if (!this.paused) return;
          this.emit('training.status', trainer.status('paused', trainer.resolveTarget(args)));
          await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
          if (!this.stopping) this.emit('training.status', trainer.status('running', trainer.resolveTarget(args)));
        },
      };
      return await trainer.run(args, control, {
        onStatus: (s) => this.emit('training.status', s),
        onMetrics: (rows) => this.emit('training.metrics', { dir: trainer.dir, rows }),
        onSample: (grid) => this.emit('training.sample', { dir: trainer.dir, grid }),
      });
    } finally {
      trainer.dispose();
    }
  }

  private async task({ name, args }: WorkerMethods['task']['args']): Promise<unknown> {
    if (!Object.hasOwn(tasks, name)) throw new Error(`Unknown task ${name}`);
    await this.ensureBackend();
    return (tasks[name as TaskName] as (a: unknown, ctx: { emit: Emit }) => Promise<unknown>)(args, { emit: this.emit });
  }
}
