/**
 * The engine behind the API contract, in plain Node: the Electron adapter, the e2e bridge, the
 * CLI and the tests all talk to this object. `call` is the one entry (validation happens there,
 * once); `api` is the same thing with a typed method per contract entry.
 */
import { apiMethods, type ApiEventName, type ApiEvents, type ApiMethod, type EngineApi } from '../../shared/contract';
import { arithHandlers } from '../arith/handlers';
import { ComputeWindows, type DeviceLinkOpener } from '../compute/browser/windows';
import { forkedChannel, inProcessChannel } from '../compute/channels';
import type { ChannelFactory } from '../compute/host';
import { evalHandlers } from '../eval/handlers';
import type { EngineHandlers } from '../handler-types';
import { healthHandlers } from '../health/handlers';
import { inspectHandlers } from '../inspect/handlers';
import { invertHandlers } from '../invert/handlers';
import { latentHandlers } from '../latent/handlers';
import { createContext, type EngineContext } from './context';
import { coreHandlers, corePolicy } from './core-handlers';
import { createDispatch, type ContractExtension, type ShellAnswer } from './dispatch';
import type { PathGuard } from './grants';

export type { EngineApi } from '../../shared/contract';
export type { ContractExtension, ShellAnswer } from './dispatch';
export { PathGrants, type ConfirmRequest, type PathGuard, type PathUse } from './grants';
export type { ChannelFactory, HostChannel } from '../compute/host';
export type { DeviceLink, DeviceLinkOpener } from '../compute/browser/windows';
export type { DeviceReply, DeviceRequest } from '../compute/browser/device-protocol';
// The CLI's output files go through the engine's one atomic writer.
export { writeFileAtomic } from '../project/atomic';
// Doors that carry files (a server's uploads, the desktop's downloads of remote exports) write
// them with the engine's durable pieces.
export { asDiskError, fsyncDir, writeAll } from '../util/durable';
// The desktop sends a remote engine exactly the images a local import would read.
export { scanImageFolder } from '../data/scan';
export { sha256File } from '../util/sha256-file';
// A server's root rule checks paths the way the desktop's grants do.
export { isWithin, realLocation, refuseUnlessEmpty } from './path-rules';

export interface EngineHost {
  api: EngineApi;
  /** One call by name with an unchecked payload: validated here, then run where the contract says. */
  call(name: ApiMethod, payload: unknown, shell?: ShellAnswer): Promise<unknown>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  /** Where the engine keeps its own state (recent projects): Electron's userData, a CLI temp folder... */
  stateDir: string;
  /**
   * How compute hosts are reached: forked Node processes by default; 'in-process' runs them in
   * the calling process (the CLI, which is a process of its own already); the desktop shell
   * passes Electron utility processes.
   */
  channel?: ChannelFactory | 'in-process';
  /** Methods beyond the app's contract (see ContractExtension). */
  extension?: ContractExtension;
  /**
   * Which paths the engine may touch (the desktop app: PathGrants, engine/api/grants.ts). None:
   * paths are used as typed (CLI, tests).
   */
  guard?: PathGuard;
  /**
   * How to open a compute window for WebGPU training (the desktop app: a hidden sandboxed window;
   * the Chromium test target: a page). None: training stays on the Node backends.
   */
  computeWindow?: DeviceLinkOpener;
}

export function createEngine(options: EngineOptions): EngineHost {
  const listeners = new Map<ApiEventName, Set<(payload: never) => void>>();
  const emit = <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => {
    for (const l of listeners.get(event) ?? []) (l as (p: ApiEvents[E]) => void)(payload);
  };
  const channel = options.channel === 'in-process' ? inProcessChannel : (options.channel ?? forkedChannel);
  const windows = options.computeWindow && new ComputeWindows(options.computeWindow);
  const ctx = createContext(options.stateDir, emit, channel, windows);
  // Each feature serves its engine-side methods; `satisfies` makes a missing one a compile error.
  const handlers = {
    ...coreHandlers,
    ...latentHandlers,
    ...arithHandlers,
    ...inspectHandlers,
    ...evalHandlers,
    ...healthHandlers,
    ...invertHandlers,
  } satisfies EngineHandlers<EngineContext>;
  const call = createDispatch(ctx, handlers, corePolicy, options.extension, options.guard);
  const api = Object.fromEntries(apiMethods.map((name) => [name, (input: unknown) => call(name, input)])) as unknown as EngineApi;

  return {
    api,
    call,
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener as (payload: never) => void);
      return () => listeners.get(event)?.delete(listener as (payload: never) => void);
    },
    dispose: () => ctx.dispose(),
  };
}
