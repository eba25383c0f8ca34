/**
 * The shapes of the functions that serve the contract, derived from its declarations
 * (shared/contract): engine handlers run in the engine's process, worker tasks in a compute
 * host. A method whose payload names a project (`dir`) is handed the opened Project instead of
 * the string, plus the rest of its payload, already validated (once, at the boundary).
 */
import type { ApiArgs, ApiContract, ApiOutput, EngineMethod, Emit, WorkerMethod } from '../shared/contract';
import { cancelled } from '../shared/errors';
import type { BackendChoice, BackendReport } from '../shared/types';
import type { GanAt } from './project/models';
import type { Project } from './project/project';
import type { Drawer } from './sampling/drawer';

/** A handler's form for method K: (project, rest, ctx) for project methods, (args, ctx) otherwise. */
export type HandlerFor<K extends keyof ApiContract, Ctx> = ApiContract[K]['project'] extends 'open'
  ? (project: Project, args: Omit<ApiArgs<K>, 'dir'>, ctx: Ctx) => Promise<ApiOutput<K>>
  : (args: ApiArgs<K>, ctx: Ctx) => Promise<ApiOutput<K>>;

/** What a task sees in a compute host. */
export interface TaskContext {
  emit: Emit;
  /** Aborted when the call is cancelled (cancelExport, evalCancel) or the host shuts down. */
  signal: AbortSignal;
  /** The backend the host runs on. */
  backend: BackendReport;
  /** Switches the host to another backend ('auto': keep the current one). */
  useBackend(choice?: BackendChoice): Promise<BackendReport>;
  /**
   * Chooses where this host draws pictures (samples, walks, feature maps): a Node backend or, in
   * the app, the compute window's WebGPU; absent: the current choice. Returns its report.
   */
  drawOn(choice?: BackendChoice): Promise<BackendReport>;
  /** Where to run `gan` (loaded from `project`) for pictures, by the host's drawOn choice. */
  drawer(project: Project, gan: GanAt): Drawer;
}

export type WorkerTask<K extends WorkerMethod> = HandlerFor<K, TaskContext>;
/** Every worker method of the contract has exactly one task. */
export type WorkerTasks = { [K in WorkerMethod]: WorkerTask<K> };

/** What an engine-side handler of a feature sees. */
export interface HandlerContext {
  emit: Emit;
  /** Running jobs (exports, evaluations) by key: see the contract's `job` declarations. */
  jobs: { cancel(key: string): boolean };
}

export type EngineHandler<K extends EngineMethod, Ctx = HandlerContext> = HandlerFor<K, Ctx>;
export type EngineHandlers<Ctx = HandlerContext> = { [K in EngineMethod]: EngineHandler<K, Ctx> };

/** The engine handlers of one feature's contract (e.g. `HandlersOf<typeof latentContract>`). */
export type HandlersOf<C, Ctx = HandlerContext> = { [K in Extract<keyof C, EngineMethod>]: EngineHandler<K, Ctx> };
/** The worker tasks of one feature's contract. */
export type TasksOf<C> = { [K in Extract<keyof C, WorkerMethod>]: WorkerTask<K> };

/** Throws a 'cancelled' error once the signal is aborted; long tasks call it between chunks. */
export function throwIfCancelled(signal: AbortSignal | undefined, message = 'Cancelled'): void {
  if (signal?.aborted) throw cancelled(message);
}

/** Lets the host's event loop in (progress events out, a cancel request in) between chunks. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
