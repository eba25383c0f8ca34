/**
 * Runs in the page (bundled into an init script by bridge-host.ts): rebuilds `window.ganvas`
 * with the same buildBridge as the Electron preload, over Playwright's exposed function.
 */
import { buildBridge, type ApiEventEnvelope } from '../../src-main/shared/bridge';
import type { ApiMethod } from '../../src-main/shared/contract';

interface TestWindow {
  __ganvasInvoke(name: ApiMethod, payload: unknown): Promise<unknown>;
  __ganvasEmit?(envelope: ApiEventEnvelope): void;
  ganvas?: unknown;
}

const page = globalThis as unknown as TestWindow;
const listeners = new Set<(envelope: ApiEventEnvelope) => void>();

page.__ganvasEmit = (envelope) => {
  for (const listener of listeners) listener(envelope);
};
page.ganvas = buildBridge(
  (name, payload) => page.__ganvasInvoke(name, payload),
  (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
);
