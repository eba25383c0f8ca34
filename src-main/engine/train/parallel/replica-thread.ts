/** Starting a replica worker thread and calling it: one request at a time per thread, answered in order. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DeviceLostError } from '../device/device';
import type { ReplicaHello, ReplicaReplies, ReplicaReply, ReplicaRequest, ReplicaSetup } from './protocol';

/**
 * The worker's script: out/main/replica-worker.js when built by electron-vite (this code may sit in
 * a chunk one folder down), else the .ts source, loaded through tsx's ESM hooks registered inside
 * the thread (a worker does not inherit the parent's `--import tsx`).
 */
function startWorker(setup: ReplicaSetup): Worker {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const folder of [here, path.dirname(here)]) {
    const built = path.join(folder, 'replica-worker.js');
    if (fs.existsSync(built)) return new Worker(built, { workerData: setup });
  }
  const source = pathToFileURL(path.join(here, 'replica-worker.ts')).href;
  const tsxApi = pathToFileURL(
    path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: setup });
}

export class ReplicaThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private gone: string | null = null;
  private closing = false;
  /** Resolves with the exchange sizes once the replica is built, rejects with why it could not be. */
  readonly ready: Promise<{ dLength: number; gLength: number }>;

  constructor(
    readonly setup: ReplicaSetup,
    /** Called once if the thread ends while the device still needs it. */
    onLost: (why: string) => void,
  ) {
    this.worker = startWorker(setup);
    let hello: (h: ReplicaHello) => void = () => {};
    const first = new Promise<ReplicaHello>((resolve) => (hello = resolve));
    this.ready = first.then((h) => ('ready' in h ? h.ready : Promise.reject(new Error(h.failed))));
    this.worker.on('message', (m: ReplicaHello | ReplicaReply) => {
      if ('ready' in m || 'failed' in m) return hello(m);
      const waiter = this.pending.get(m.id);
      this.pending.delete(m.id);
      if ('error' in m) waiter?.reject(new Error(m.error));
      else waiter?.resolve(m.result);
    });
    const end = (why: string) => {
      if (this.gone !== null) return;
      this.gone = why;
      hello({ failed: why });
      for (const w of this.pending.values()) w.reject(new DeviceLostError(why));
      this.pending.clear();
      if (!this.closing) onLost(why);
    };
    this.worker.on('error', (error) => end(`worker ${setup.replica} failed: ${error.message}`));
    this.worker.on('exit', (code) => end(`worker ${setup.replica} stopped, exit code ${code}`));
  }

  call<K extends ReplicaRequest['kind']>(request: Extract<ReplicaRequest, { kind: K }>): Promise<ReplicaReplies[K]> {
    if (this.gone !== null) return Promise.reject(new DeviceLostError(this.gone));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, request });
    });
  }

  /** Ends the thread as if it crashed (tests of a lost worker). */
  kill(): Promise<number> {
    return this.worker.terminate();
  }

  close(): Promise<number> {
    this.closing = true;
    return this.worker.terminate();
  }
}
