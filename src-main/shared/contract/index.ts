/**
 * THE typed API contract between the renderer and the engine: every method the app can call,
 * declared once, with its payload schema (zod), its result type and where it runs
 * (see method.ts). Each feature declares its methods in its own file here.
 *
 * Built from these declarations: the Electron preload and IPC handlers, the e2e bridge, the
 * engine's dispatch (validation happens once, at the boundary), the compute workers' task
 * table, and the CLI's inputs.
 */
import type { z } from 'zod';
import { GanvasError } from '../errors';
import { arithContract } from './arith';
import type { ApiEventName, ApiEvents } from './events';
import { connectionContract } from './connection';
import { coreContract } from './core';
import { evalContract } from './eval';
import { exportContract } from './export';
import { importContract } from './import';
import { healthContract } from './health';
import { inspectContract } from './inspect';
import { invertContract } from './invert';
import { latentContract } from './latent';
import type { MethodDecl } from './method';
import { shellContract } from './shell';

export const apiContract = {
  ...coreContract,
  ...latentContract,
  ...arithContract,
  ...inspectContract,
  ...evalContract,
  ...importContract,
  ...healthContract,
  ...invertContract,
  ...exportContract,
  ...shellContract,
  ...connectionContract,
} as const satisfies Record<string, MethodDecl>;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
/** What a caller sends (before defaults and transforms). */
export type ApiInput<K extends ApiMethod> = z.input<ApiContract[K]['input']>;
/** What a handler receives: the payload after validation. */
export type ApiArgs<K extends ApiMethod> = z.output<ApiContract[K]['input']>;
export type ApiOutput<K extends ApiMethod> = ApiContract[K]['output'];
export const apiMethods = Object.keys(apiContract) as ApiMethod[];

type MethodsWhere<R> = { [K in ApiMethod]: ApiContract[K]['runs'] extends R ? K : never }[ApiMethod];
export type EngineMethod = MethodsWhere<'engine'>;
export type WorkerMethod = MethodsWhere<'worker'>;
export type ShellMethod = MethodsWhere<'shell'>;
export const isShellMethod = (name: ApiMethod): name is ShellMethod => apiContract[name].runs === 'shell';

/** The API as the renderer sees it (window.ganvas) and as the engine serves it. */
export type GanvasApi = { [K in ApiMethod]: (input: ApiInput<K>) => Promise<ApiOutput<K>> };
/** The part the engine serves (everything but the shell's dialogs). */
export type EngineApi = Omit<GanvasApi, ShellMethod>;

export interface GanvasBridge extends GanvasApi {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** All IPC channel names live here. */
export const channels = {
  invoke: (name: ApiMethod) => `ganvas:invoke:${name}`,
  event: 'ganvas:event',
  /** Preload -> main: a path the user dropped on the window (resolved from its File by webUtils), to be granted. */
  grantDrop: 'ganvas:grant-drop',
} as const;

/** Validates a payload against its method's schema; throws an 'invalid' GanvasError a person can read. */
export function parseInput<K extends ApiMethod>(name: K, payload: unknown): ApiArgs<K> {
  // A field the method does not know is a caller's mistake (a renamed option, a typo): say so
  // rather than drop it silently and do something else.
  const known = apiContract[name].input.shape as Record<string, unknown>;
  const unknown = payload && typeof payload === 'object' ? Object.keys(payload).find((k) => !(k in known)) : undefined;
  if (unknown !== undefined)
    throw new GanvasError('invalid', `Invalid ${name} request: unknown field ${unknown}`, unknown, `unknown field`);
  const result = apiContract[name].input.safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : undefined;
    const reason = issue?.message ?? 'bad payload';
    throw new GanvasError('invalid', `Invalid ${name} request: ${field ? `${field}: ` : ''}${reason}`, field, reason);
  }
  return result.data as ApiArgs<K>;
}

export { apiEventNames, type ApiEventName, type ApiEvents, type AppCommand, type Emit } from './events';
export type { MethodDecl, ProjectUse, RunsIn } from './method';
export { connectionMethods, isConnectionMethod, type ConnectionMethod } from './connection';
