/**
 * Electron entry: wires the engine (training runs in a child process it manages) to the window
 * through typed IPC, the native menu and the taskbar progress. Each concern lives in its own file.
 */
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { createEngine, PathGrants } from '../engine/api/engine-api';
import { confirmPath } from './dialogs';
import { setupIpc } from './ipc';
import { setupMenu } from './menu';
import { setupProgress } from './progress';
import { rendererOrigin } from './trusted-sender';
import { createMainWindow, type WindowPaths } from './window';

// e2e runs and portable installs can point the app at a throw-away profile.
if (process.env.GANVAS_USER_DATA_DIR) app.setPath('userData', process.env.GANVAS_USER_DATA_DIR);

const here = import.meta.dirname;
const paths: WindowPaths = {
  preload: join(here, '../preload/index.cjs'),
  rendererIndexHtml: join(here, '../renderer/index.html'),
  devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
  icon: join(here, '../../resources/icon.png'),
};
const isDev = Boolean(paths.devServerUrl);

async function start(): Promise<void> {
  await app.whenReady();
  // The renderer reaches only paths the user chose: dialogs, drops, the menu, recent projects,
  // or typed paths main confirms (engine/api/grants.ts).
  let recentDirs: string[] = [];
  const grants = new PathGrants({ confirm: confirmPath, remembered: () => recentDirs });
  const engine = createEngine({ stateDir: app.getPath('userData'), guard: grants });
  let mainWindow: BrowserWindow | null = null;

  const refreshMenu = () =>
    void engine.api.recentProjects({}).then(
      (recent) => {
        recentDirs = recent.map((r) => r.dir);
        setupMenu(recent, isDev, grants);
      },
      () => setupMenu([], isDev, grants),
    );
  setupIpc({
    grants,
    engine,
    rendererOrigin: rendererOrigin(paths.rendererIndexHtml, paths.devServerUrl),
    afterCall: (name) => {
      if (name === 'createProject' || name === 'openProject') refreshMenu();
    },
  });
  setupProgress(engine, () => mainWindow);
  refreshMenu();

  const openWindow = () => {
    mainWindow = createMainWindow(paths);
    mainWindow.on('closed', () => (mainWindow = null));
  };
  openWindow();

  app.on('second-instance', () => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Stop the training child process before the app goes; dispose() is async, so quit again after it.
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void engine.dispose().finally(() => app.quit());
  });
}

// A second launch focuses the running window (see 'second-instance') instead of opening another engine.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((error: unknown) => {
    console.error('Ganvas failed to start:', error);
    app.exit(1);
  });
}
