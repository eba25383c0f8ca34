/**
 * Preload of the compute window (compute-window.ts): hands the page the MessagePort main sends,
 * and nothing else. The page's script (engine/compute/browser/page-entry.ts) takes it from a
 * window message, as Electron documents for sandboxed, context-isolated pages.
 */
import { ipcRenderer } from 'electron';
import { DEVICE_PORT_CHANNEL, DEVICE_PORT_MESSAGE } from '../shared/compute-port';

/** The page's window (typed here: main's code compiles without DOM types). */
const page = globalThis as unknown as { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void };

ipcRenderer.once(DEVICE_PORT_CHANNEL, (event) => {
  page.postMessage(DEVICE_PORT_MESSAGE, '*', event.ports);
});
