/**
 * Electron entry: wires the engine (training and inference run in utility processes it manages)
 * to the window through typed IPC, the native menu and the taskbar progress. Each concern lives in
 * its own file; the hardening (protocol, permissions, navigation, window options) is listed in
 * docs/security.md.
 */
import { join } from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import { createEngine, PathGrants } from '../engine/api/engine-api';
import { EngineSwitch } from '../remote/engine-switch';
import { APP_ENTRY_URL } from './app-origin';
import { registerAppScheme, setupAppProtocol } from './app-protocol';
import { utilityChannel } from './compute-channel';
import { computeWindows } from './compute-window';
import { confirmPath } from './dialogs';
import { knownEngines } from './keychain';
import { setupIpc } from './ipc';
import { setupMenu } from './menu';
import { setupProgress } from './progress';
import { denyAllPermissions, setupWebContentsHardening } from './security';
import { rendererOrigin } from './trusted-sender';
import { createMainWindow, type WindowPaths } from './window';

// e2e runs and portable installs can point the app at a throw-away profile.
if (process.env.GANVAS_USER_DATA_DIR) app.setPath('userData', process.env.GANVAS_USER_DATA_DIR);

const here = import.meta.dirname;
const rendererDir = join(here, '../renderer');
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const paths: WindowPaths = {
  preload: join(here, '../preload/index.cjs'),
  entryUrl: devServerUrl ?? APP_ENTRY_URL,
  icon: join(here, '../../resources/icon.png'),
};
// Hidden windows that train on WebGPU (engine/compute/browser): same origin as the app's window.
const windowsForCompute = computeWindows({
  preload: join(here, '../preload/compute-preload.cjs'),
  url: new URL('compute.html', paths.entryUrl).href,
});
const isDev = Boolean(devServerUrl);

// Both only take effect before 'ready': app:// gets its privileges, and every renderer (not just
// the ones whose webPreferences say so) runs in Chromium's sandbox.
registerAppScheme();
app.enableSandbox();
// Before any window exists, so the first one is covered too.
setupWebContentsHardening(app, paths.entryUrl);

async function start(): Promise<void> {
  await app.whenReady();
  setupAppProtocol(rendererDir);
  denyAllPermissions(session.defaultSession);
  // The renderer reaches only paths the user chose: dialogs, drops, the menu, recent projects,
  // or typed paths main confirms (engine/api/grants.ts).
  let recentDirs: string[] = [];
  const grants = new PathGrants({ confirm: confirmPath, remembered: () => recentDirs });
  // Compute hosts as utility processes: no ELECTRON_RUN_AS_NODE, so the RunAsNode fuse can be off.
  const local = createEngine({
    stateDir: app.getPath('userData'),
    guard: grants,
    channel: utilityChannel,
    computeWindow: windowsForCompute.open,
  });
  // The window drives this engine or a `ganvas serve` it connects to (docs/server.md); the page
  // cannot tell, and never holds a token.
  const engine = new EngineSwitch({ local, guard: grants, known: knownEngines() });
  let mainWindow: BrowserWindow | null = null;

  const refreshMenu = () =>
    void local.api.recentProjects({}).then(
      (recent) => {
        recentDirs = recent.map((r) => r.dir);
        setupMenu(recent, isDev, grants);
      },
      () => setupMenu([], isDev, grants),
    );
  setupIpc({
    grants,
    engine,
    rendererOrigin: rendererOrigin(devServerUrl),
    afterCall: (name) => {
      if (name === 'createProject' || name === 'openProject') refreshMenu();
    },
  });
  setupProgress(engine, () => mainWindow);
  refreshMenu();

  const openWindow = () => {
    mainWindow = createMainWindow(paths);
    mainWindow.on('closed', () => {
      mainWindow = null;
      // Hidden compute windows must not keep the app alive ('window-all-closed' counts them).
      windowsForCompute.closeAll();
    });
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

  // Stop the training compute process before the app goes; dispose() is async, so quit again after it.
  let disposed = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    // A remote run belongs to its server: only the connection closes.
    engine.close();
    void local.dispose().finally(() => app.quit());
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
