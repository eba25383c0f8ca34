/**
 * Registers one ipcMain handler per contract method and forwards engine events to the window.
 * Every payload is checked twice over: the sender must be our renderer, and the payload must
 * match the method's zod schema before the engine sees it.
 */
import { BrowserWindow, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import {
  apiEventNames,
  apiMethods,
  channels,
  type ApiEventName,
  type ApiEvents,
  type ApiMethod,
  type ShellMethod,
} from '../shared/contract';
import type { ApiEventEnvelope } from '../shared/bridge';
import { refused, toWire } from '../shared/errors';
import { shellHandlers, type DialogMethod } from './dialogs';
import { isTrustedSender } from './trusted-sender';

/** The part of the engine host the shell needs (see src-main/engine/api/engine-api.ts). */
export interface EngineLike {
  /** Validates and runs one call (src-main/engine/api/engine-api.ts); shell methods go to `shell`. */
  call(name: ApiMethod, payload: unknown, shell?: (name: ShellMethod, input: unknown) => Promise<unknown>): Promise<unknown>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export interface IpcOptions {
  engine: EngineLike;
  /** Origin of our renderer: app://ganvas, or the dev server's (trusted-sender.ts). */
  rendererOrigin: string;
  /** Called after each successful call, e.g. to refresh the Recent projects menu. */
  afterCall?: (name: ApiMethod, result: unknown) => void;
  /** The methods to serve: the contract's (more in tests that extend it). */
  methods?: readonly string[];
  /** Where a dropped path is granted (engine/api/grants.ts). */
  grants?: { grantFolder(path: string): void };
}

export function setupIpc({ engine, rendererOrigin, afterCall, methods = apiMethods, grants }: IpcOptions): () => void {
  const onDrop = (event: IpcMainEvent, dropped: unknown) => {
    if (typeof dropped !== 'string' || dropped.length > 4096 || !isTrustedSender(event.senderFrame?.url, rendererOrigin)) return;
    grants?.grantFolder(dropped);
  };
  ipcMain.on(channels.grantDrop, onDrop);
  const names = methods as readonly ApiMethod[];
  for (const name of names) {
    ipcMain.handle(channels.invoke(name), async (event, payload: unknown) => {
      if (!isTrustedSender(event.senderFrame?.url, rendererOrigin)) {
        throw toWire(refused(`Refused ${name}: the request did not come from the Ganvas window.`));
      }
      try {
        const result = await engine.call(name, payload, (shellName, input) => {
          const dialog = shellHandlers[shellName as DialogMethod] as
            ((event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>) | undefined;
          if (!dialog) throw refused(`${shellName} is not answered by a dialog`);
          return dialog(event, input);
        });
        afterCall?.(name, result);
        return result;
      } catch (error) {
        // ipcMain keeps only the message: carry the error's code inside it (shared/errors.ts).
        throw toWire(error);
      }
    });
  }
  const unsubscribers = apiEventNames.map((name) => engine.on(name, (payload) => broadcast({ name, payload })));
  return () => {
    for (const name of names) ipcMain.removeHandler(channels.invoke(name));
    ipcMain.removeListener(channels.grantDrop, onDrop);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

/** Sends an event to every open window (engine events, menu commands). */
export function broadcast(envelope: ApiEventEnvelope): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(channels.event, envelope);
  }
}
