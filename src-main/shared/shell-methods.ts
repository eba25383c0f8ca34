import { parseInput, type ApiMethod, type GanvasApi } from './contract';

/** Methods the desktop shell answers itself (native dialogs); the engine never implements them. */
export const shellMethods = ['chooseDirectory', 'chooseSaveFile'] as const satisfies readonly ApiMethod[];
export type ShellMethod = (typeof shellMethods)[number];
export type EngineMethods = Omit<GanvasApi, ShellMethod>;

export const isShellMethod = (name: ApiMethod): name is ShellMethod => (shellMethods as readonly ApiMethod[]).includes(name);

/**
 * One call from the renderer, as every transport handles it (Electron's ipcMain, the e2e bridge):
 * validate the payload against the contract, then route it to the shell or to the engine.
 */
export function dispatchCall(
  engine: EngineMethods,
  name: ApiMethod,
  payload: unknown,
  answerShell: (name: ShellMethod, input: unknown) => Promise<unknown>,
): Promise<unknown> {
  const input = parseInput(name, payload);
  return isShellMethod(name) ? answerShell(name, input) : (engine[name] as (input: unknown) => Promise<unknown>)(input);
}
