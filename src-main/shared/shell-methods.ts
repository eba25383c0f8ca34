import type { ApiMethod, GanvasApi } from './contract';

/** Methods the desktop shell answers itself (native dialogs); the engine never implements them. */
export const shellMethods = ['chooseDirectory', 'chooseSaveFile'] as const satisfies readonly ApiMethod[];
export type ShellMethod = (typeof shellMethods)[number];
export type EngineMethods = Omit<GanvasApi, ShellMethod>;

export const isShellMethod = (name: ApiMethod): name is ShellMethod => (shellMethods as readonly ApiMethod[]).includes(name);
