import { join } from 'node:path';
import { app, BrowserWindow, screen } from 'electron';
import { keepOnScreen, loadWindowState, saveWindowState } from './window-state';

export interface WindowPaths {
  preload: string;
  /** The page to show: app://ganvas/index.html when built, the dev server's URL in `npm run dev`. */
  entryUrl: string;
  /** The window's icon on Linux and Windows (macOS takes the bundle's). */
  icon?: string;
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const state = keepOnScreen(loadWindowState(stateFile), workAreas);

  const window = new BrowserWindow({
    ...state,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Ganvas',
    ...(paths.icon && { icon: paths.icon }),
    backgroundColor: '#111418',
    // The renderer runs as untrusted web content would: no Node, its own JS world, Chromium's
    // sandbox, the same-origin policy, no insecure content, no <webview>, no experimental or extra
    // Blink features. Everything it can do goes through the preload's `window.ganvas` (the contract).
    // Written out here, not built by a helper, so electronegativity (npm run check:electron) sees it.
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
      // Middle-click would otherwise try to open links in a new window (refused anyway: security.ts).
      disableBlinkFeatures: 'Auxclick',
      // A page stuck in alert() loops can be stopped by the user.
      safeDialogs: true,
      spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  // Navigation, new windows and <webview> are refused for every web contents (security.ts).

  window.on('close', () => {
    saveWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });

  void window.loadURL(paths.entryUrl);
  return window;
}
