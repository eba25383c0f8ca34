/**
 * How the contract declares a method: its payload schema (zod), its result type (phantom), where
 * it runs, and what its `dir` means. The engine builds its dispatch from these declarations, so a
 * new capability is one entry in a feature's contract file plus one handler (engine) or task
 * (worker) function.
 */
import type { z } from 'zod';

/**
 * - `engine`: answered in the engine's own process (small file reads and writes);
 * - `worker`: a task in a compute host (anything that runs a network or decodes images);
 * - `shell`: answered by the desktop shell (native dialogs); the engine never sees it.
 */
export type RunsIn = 'engine' | 'worker' | 'shell';

/**
 * What the payload's `dir` means:
 * - `open`: an existing project; the engine opens it (and refuses anything else) before the
 *   handler runs, and the handler gets a Project instead of the string;
 * - `create`: a folder to create a project in;
 * - `none`: no project.
 */
export type ProjectUse = 'open' | 'create' | 'none';

/**
 * A long call that can be cancelled and of which one runs at a time per key: `key` names it from
 * its validated payload (with `dir` resolved to the project's absolute folder); a second call with
 * a running key is refused with `busy`. Cancelling by key aborts the task's signal.
 */
export interface JobDecl {
  key: (args: Record<string, unknown>) => string | undefined;
  busy: string;
}

/**
 * Payload fields (dotted paths) that are file-system paths besides `dir`, and how they are used:
 * `read` a folder the engine reads (an image folder to import), `write` a file it writes (an
 * export), `reveal` a file the shell shows in the file manager (one the app wrote). In the desktop
 * app each must be a path the user granted (engine/api/grants.ts).
 */
export type PathFields = Record<string, 'read' | 'write' | 'reveal'>;

export interface MethodDecl<
  I extends z.ZodObject = z.ZodObject,
  O = unknown,
  R extends RunsIn = RunsIn,
  P extends ProjectUse = ProjectUse,
> {
  input: I;
  runs: R;
  project: P;
  job?: JobDecl;
  paths?: PathFields;
  /** Phantom: the result type, never set at run time. */
  output: O;
}

type HasDir<I extends z.ZodObject> = 'dir' extends keyof I['shape'] ? 'open' : 'none';

interface DeclOptions {
  project?: ProjectUse;
  job?: JobDecl;
  paths?: PathFields;
}
type UseOf<I extends z.ZodObject, Opt> = Opt extends { project: infer P extends ProjectUse } ? P : HasDir<I>;

function declare<R extends RunsIn>(runs: R) {
  return <O>() =>
    <I extends z.ZodObject, const Opt extends DeclOptions = Record<never, never>>(
      input: I,
      options?: Opt,
    ): MethodDecl<I, O, R, UseOf<I, Opt>> => ({
      input,
      runs,
      project: (options?.project ?? ('dir' in input.shape ? 'open' : 'none')) as UseOf<I, Opt>,
      job: options?.job,
      paths: options?.paths,
      output: undefined as O,
    });
}

/** Answered in the engine's process. */
export const onEngine = declare('engine');
/** Run as a task in a compute host. */
export const inWorker = declare('worker');
/** Answered by the desktop shell. */
export const inShell = declare('shell');
