/**
 * Compute windows for WebGPU training and pictures: hidden, sandboxed, no-Node BrowserWindows
 * that load compute.html from the app's own origin (WebGPU needs a secure context; app:// is
 * registered as one) and talk to the engine over a MessagePort that main hands to the page through
 * its preload (the pattern Electron documents for sandboxed pages). No view code runs there and no
 * engine code in the UI's window; the engine owns every run and writes every file
 * (engine/compute/browser).
 */
import { BrowserWindow, MessageChannelMain } from 'electron';
import type { DeviceLink, DeviceLinkOpener, DeviceReply } from '../engine/api/engine-api';
import { DEVICE_PORT_CHANNEL } from '../shared/compute-port';


export interface ComputeWindowPaths {
  /** out/preload/compute-preload.cjs */
  preload: string;
  /** app://ganvas/compute.html when built, the dev server's compute.html in `npm run dev`. */
  url: string;
}

export interface ComputeWindows {
  open: DeviceLinkOpener;
  /** Closes every compute window (the app's window has gone: nothing may keep the app alive). */
  closeAll(): void;
}

export function computeWindows(paths: ComputeWindowPaths): ComputeWindows {
  const open = new Set<BrowserWindow>();

  const openOne = async (): Promise<DeviceLink> => {
    // jscpd:ignore-start -- the same literal options as window.ts: electronegativity reads literals only.
    const window = new BrowserWindow({
      show: false,
      title: 'Ganvas compute',
      // As the app's window (window.ts), written out for electronegativity; and never throttled
      // while hidden, or training would slow to a crawl.
      webPreferences: {
        preload: paths.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        disableBlinkFeatures: 'Auxclick',
        backgroundThrottling: false,
        spellcheck: false,
      },
    });
    // jscpd:ignore-end
    open.add(window);
    const closes: ((why: string) => void)[] = [];
    let closing = false;
    const gone = (why: string) => {
      if (closing) return;
      closing = true;
      open.delete(window);
      for (const listener of closes.splice(0)) listener(why);
      if (!window.isDestroyed()) window.destroy();
    };
    window.on('closed', () => gone('the compute window was closed'));
    window.webContents.on('render-process-gone', (_event, details) => gone(`the compute window's process ended (${details.reason})`));
    // A GPU hang the watchdog did not catch: the page stops answering.
    window.on('unresponsive', () => gone('the compute window stopped responding'));

    await window.loadURL(paths.url);
    const { port1, port2 } = new MessageChannelMain();
    window.webContents.postMessage(DEVICE_PORT_CHANNEL, null, [port2]);
    const replies: ((reply: DeviceReply) => void)[] = [];
    port1.on('message', (event) => {
      for (const listener of replies) listener(event.data as DeviceReply);
    });
    port1.start();
    return {
      send: (request) => {
        if (!closing) port1.postMessage(request);
      },
      onReply: (listener) => replies.push(listener),
      onClose: (listener) => closes.push(listener),
      close: () => {
        closing = true;
        open.delete(window);
        port1.close();
        if (!window.isDestroyed()) window.destroy();
      },
    };
  };

  return {
    open: openOne,
    closeAll: () => {
      for (const window of open) if (!window.isDestroyed()) window.destroy();
      open.clear();
    },
  };
}
