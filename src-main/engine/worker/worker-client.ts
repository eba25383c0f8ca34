/** The parent side of a compute worker: fork, typed request/reply, events, shutdown. */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ApiEventName, ApiEvents } from '../../shared/contract';
import type { ChildMessage, WorkerMethod, WorkerMethods } from './protocol';
import type { TaskArgs, TaskName, TaskResult } from './tasks';

type Listener = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void;

/**
 * Where the entry lives: next to this module as .ts when running from source (tsx, vitest),
 * as worker-entry.js next to the bundle when built by electron-vite (out/main/).
 */
function workerEntry(): { file: string; execArgv: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'worker-entry.js');
  if (fs.existsSync(built)) return { file: built, execArgv: [] };
  const source = path.join(here, 'worker-entry.ts');
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { file: source, execArgv: ['--import', tsx] };
}

export class WorkerClient {
  private readonly child: ChildProcess;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitHandlers: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  exited = false;

  constructor(private readonly onEvent: Listener) {
    const { file, execArgv } = workerEntry();
    this.child = fork(file, [], {
      execArgv,
      // Under Electron, process.execPath is the Electron binary: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child.on('message', (msg: ChildMessage) => this.receive(msg));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      const why = new Error(signal ? `The compute worker was killed (${signal})` : `The compute worker exited with code ${code}`);
      for (const p of this.pending.values()) p.reject(why);
      this.pending.clear();
      for (const h of this.exitHandlers) h(code, signal);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  onExit(handler: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.exitHandlers.push(handler);
  }

  private receive(msg: ChildMessage): void {
    if ('event' in msg) return this.onEvent(msg.event, msg.payload);
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if ('error' in msg) p.reject(new Error(msg.error));
    else p.resolve(msg.result);
  }

  call<M extends WorkerMethod>(method: M, args: WorkerMethods[M]['args']): Promise<WorkerMethods[M]['result']> {
    if (this.exited) return Promise.reject(new Error('The compute worker is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, method, args });
    });
  }

  /** Runs an inference task (tasks.ts) in the worker, typed end to end. */
  task<N extends TaskName>(name: N, args: TaskArgs<N>): Promise<TaskResult<N>> {
    return this.call('task', { name, args }) as Promise<TaskResult<N>>;
  }

  /** Ends the process; `graceMs` lets a stopping run finish its checkpoint first. */
  async close(graceMs = 0): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.onExit(() => resolve()));
    if (graceMs > 0) {
      this.child.disconnect?.();
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    } else {
      this.child.kill('SIGKILL');
      await done;
    }
  }
}
