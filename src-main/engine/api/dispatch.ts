/**
 * One call from any door (Electron IPC, the e2e bridge, the CLI, tests) to its work, built from
 * the contract's declarations: validate the payload once, open the project a `dir` names, run
 * the method where its declaration says (engine handler, compute-host task, or the shell's
 * answer), under its job key when it declares one.
 */
import path from 'node:path';
import {
  apiContract,
  parseInput,
  type ApiMethod,
  type ApiOutput,
  type MethodDecl,
  type ShellMethod,
  type WorkerMethod,
} from '../../shared/contract';
import { fieldAt, withField } from '../../shared/contract/fields';
import { GanvasError } from '../../shared/errors';
import type { EngineHandlers } from '../handler-types';
import { Project } from '../project/project';
import type { EngineContext } from './context';
import type { PathGuard } from './grants';

/** How the desktop shell answers its own methods (native dialogs). */
export type ShellAnswer = (name: ShellMethod, args: unknown) => Promise<unknown>;

/** What the engine does around some worker methods. */
export interface WorkerPolicy {
  /** Methods whose task runs in a compute host of its own (long imports must not hold up sampling). */
  ownHost: ReadonlySet<WorkerMethod>;
  /** Engine-side effects once a task has answered. */
  after: { [K in WorkerMethod]?: (result: ApiOutput<K>, ctx: EngineContext) => void };
}

export type Dispatch = (name: ApiMethod, payload: unknown, shell?: ShellAnswer) => Promise<unknown>;

/**
 * More methods than the app's contract: a declaration and an engine handler each (tests prove
 * with one that every door reaches a new method; a plug-in surface later).
 */
export interface ContractExtension {
  contract: Record<string, MethodDecl>;
  handlers: Record<string, (...args: never[]) => Promise<unknown>>;
}

/**
 * Every path of a payload through the guard: the project folder and the declared path fields.
 * The guard judges each path as the caller gave it (so a refusal names that, never what it led
 * to); the payload then carries each path where the guard resolves it (a server: against its
 * root), and that is the path used. Without a guard (the CLI, tests) paths are used as typed.
 */
async function guardPaths(guard: PathGuard | undefined, decl: MethodDecl, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (!guard) return args;
  const resolve = (p: string) => (guard.resolve ? guard.resolve(p) : p);
  let out = args;
  if (decl.project !== 'none') {
    const dir = String(args.dir);
    await guard.check(decl.project === 'open' ? 'project' : 'new-project', dir);
    out = { ...out, dir: resolve(dir) };
  }
  for (const [field, use] of Object.entries(decl.paths ?? {})) {
    const value = fieldAt(args, field);
    if (typeof value !== 'string') continue;
    await guard.check(use, value);
    out = withField(out, field, resolve(value));
  }
  return out;
}

export function createDispatch(
  ctx: EngineContext,
  handlers: EngineHandlers<EngineContext>,
  policy: WorkerPolicy,
  extension?: ContractExtension,
  guard?: PathGuard,
): Dispatch {
  const contract: Record<string, MethodDecl> = { ...apiContract, ...extension?.contract };
  const allHandlers: Record<string, unknown> = { ...handlers, ...extension?.handlers };
  async function inWorker(name: WorkerMethod, args: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    let result: unknown;
    if (policy.ownHost.has(name)) {
      const host = ctx.newHost();
      try {
        result = await host.task(name, args as never, signal);
      } finally {
        await host.close();
      }
    } else {
      result = await ctx.compute().task(name, args as never, signal);
    }
    (policy.after[name] as ((r: unknown, c: EngineContext) => void) | undefined)?.(result, ctx);
    return result;
  }

  return async (name, payload, shell) => {
    const decl = contract[name];
    if (!decl) throw new GanvasError('invalid', `Unknown method ${String(name)}`);
    const args = (name in apiContract ? parseInput(name, payload) : parseExtension(decl, String(name), payload)) as Record<string, unknown>;
    if (decl.runs === 'shell') {
      if (!shell) throw new GanvasError('invalid', `${name} is answered by the desktop app, not the engine`);
      // A path the shell acts on (Show in folder) is checked like any other.
      const answer = await shell(name as ShellMethod, await guardPaths(guard, decl, args));
      // A dialog's answer is the user's choice: grant it (a folder and what is under it; a save target once).
      if (typeof answer === 'string' && guard) guard.granted(name === 'chooseSaveFile' ? 'save' : 'folder', answer);
      return answer;
    }
    const guarded = await guardPaths(guard, decl, args);
    let project: Project | null = null;
    let resolved = guarded;
    if (decl.project === 'open') {
      project = Project.open(String(guarded.dir));
      resolved = { ...guarded, dir: project.dir };
    } else if (decl.project === 'create') {
      resolved = { ...guarded, dir: path.resolve(String(guarded.dir)) };
    }
    const work = (signal?: AbortSignal): Promise<unknown> => {
      if (decl.runs === 'worker') return inWorker(name as WorkerMethod, resolved, signal);
      const handler = allHandlers[name] as (...a: unknown[]) => Promise<unknown>;
      if (!project) return handler(resolved, ctx);
      const { dir: _dir, ...rest } = resolved;
      const opened = project;
      return handler(opened, rest, ctx).finally(() => {
        for (const n of opened.raised.splice(0)) ctx.emit('project.notice', { dir: opened.dir, ...n });
      });
    };
    const key = decl.job?.key(resolved);
    return decl.job && key !== undefined ? ctx.jobs.run(key, decl.job.busy, work) : work();
  };
}

/** parseInput for a method outside the app's contract: the same message shape. */
function parseExtension(decl: MethodDecl, name: string, payload: unknown): unknown {
  const result = decl.input.safeParse(payload ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : undefined;
  throw new GanvasError('invalid', `Invalid ${name} request: ${field ? `${field}: ` : ''}${issue?.message}`, field, issue?.message);
}
