import { join } from 'node:path';
import { app, BrowserWindow, screen, shell } from 'electron';
import { keepOnScreen, loadWindowState, saveWindowState } from './window-state';

export interface WindowPaths {
  preload: string;
  rendererIndexHtml: string;
  devServerUrl?: string;
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
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  // The renderer is a single page: links to the web open in the browser, never in our window.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https:')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) event.preventDefault();
  });

  window.on('close', () => {
    saveWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });

  if (paths.devServerUrl) void window.loadURL(paths.devServerUrl);
  else void window.loadFile(paths.rendererIndexHtml);
  return window;
}
