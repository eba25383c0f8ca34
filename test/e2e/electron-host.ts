/** The `electron` target: the built app (out/main/index.js) in a real Electron binary, when there is one. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron } from '@playwright/test';
import type { RunningApp } from './fixtures';

/** Electron's binary, from ELECTRON_OVERRIDE_DIST_PATH or the npm package's dist; null when neither has one. */
export function electronBinary(): string | null {
  const name =
    process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
  const dirs = [process.env.ELECTRON_OVERRIDE_DIST_PATH, resolve('node_modules/electron/dist')];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

export async function launchElectron(executablePath: string, stateDir: string): Promise<RunningApp> {
  const app = await electron.launch({
    executablePath,
    args: [resolve('out/main/index.js')],
    env: { ...process.env, GANVAS_USER_DATA_DIR: stateDir },
  });
  const page = await app.firstWindow();
  await page.setViewportSize({ width: 1440, height: 900 });
  const running: RunningApp = {
    page,
    // Replaces the native dialog in the main process: the spec decides what "the user" picks.
    answerSaveDialog: (file) =>
      app.evaluate(({ dialog }, answer) => {
        dialog.showSaveDialog = (async () => ({ canceled: answer === null, filePath: answer ?? '' })) as typeof dialog.showSaveDialog;
      }, file),
    // Main's confirmation of a typed path is a native message box: answer it the same way.
    answerConfirm: (yes) =>
      app.evaluate(({ dialog }, answer) => {
        dialog.showMessageBox = (async () => ({ response: answer ? 0 : 1, checkboxChecked: false })) as typeof dialog.showMessageBox;
      }, yes),
    shownInFolder: () => app.evaluate(() => [...((globalThis as { __shownInFolder?: string[] }).__shownInFolder ?? [])]),
    // Electron's compute windows are the app's own hidden windows (src-main/electron/compute-window.ts).
    computeWindows: () => app.windows().filter((window) => window.url().endsWith('/compute.html')),
    // Main relays the calls to its windows in its own process: not observable from here.
    computeCalls: () => null,
    close: () => app.close(),
  };
  // The file manager is the OS's: record what main asks it to show instead.
  await app.evaluate(({ shell }) => {
    const shown: string[] = ((globalThis as { __shownInFolder?: string[] }).__shownInFolder = []);
    shell.showItemInFolder = (file: string) => void shown.push(file);
  });
  await running.answerConfirm(true); // as a person confirming a typed folder would, unless a spec says no
  return running;
}
