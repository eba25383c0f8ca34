/**
 * A stand-in for the engine host (src-main/engine/api/engine-api.ts) for the desktop shell's
 * tests: `call` validates with the contract exactly as the engine's dispatch does, hands shell
 * methods to the shell's answer, and records what reached the engine's side in `handled`.
 */
import { vi } from 'vitest';
import {
  apiEventNames,
  isShellMethod,
  parseInput,
  type ApiEventName,
  type ApiMethod,
  type ShellMethod,
} from '../../src-main/shared/contract';
import { invalid } from '../../src-main/shared/errors';

type Shell = (name: ShellMethod, input: unknown) => Promise<unknown>;

export function fakeEngine(answers: Partial<Record<ApiMethod, (args: unknown) => Promise<unknown>>> = {}) {
  const listeners = new Map<ApiEventName, (payload: unknown) => void>();
  /** The engine-side work a call reached, after validation (never for an invalid payload). */
  const handled = vi.fn((name: ApiMethod, args: unknown) => ({ called: name, input: args }));
  const call = vi.fn(async (name: ApiMethod, payload: unknown, shell?: Shell) => {
    const args = parseInput(name, payload);
    if (isShellMethod(name)) {
      if (!shell) throw invalid(`${name} is answered by the desktop app, not the engine`);
      return shell(name, args);
    }
    const result = handled(name, args);
    return answers[name] ? answers[name](args) : result;
  });
  const on = vi.fn((event: ApiEventName, listener: (payload: unknown) => void) => {
    listeners.set(event, listener);
    return () => listeners.delete(event);
  });
  /** Sends an engine event as the engine would. */
  const emit = (event: ApiEventName, payload: unknown) => listeners.get(event)?.(payload);
  return { engine: { call, on }, call, handled, on, emit, listeners, eventCount: apiEventNames.length };
}
