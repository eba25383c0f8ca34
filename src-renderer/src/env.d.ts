import type { GanvasBridge } from './lib/api-types';

declare global {
  interface Window {
    /** The typed API, exposed by the Electron preload (or the e2e bridge in Chromium). */
    ganvas?: GanvasBridge;
    /** Shell helpers that only exist in Electron. */
    ganvasShell?: { pathForFile(file: File): string };
  }
}

export {};
