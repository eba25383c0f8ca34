/**
 * The `app` fixture, in the style of Playwright's Electron tests: one running Ganvas per test,
 * on a fresh state folder, restartable on that same folder to check what survives a restart.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { launchChromiumBridge } from './bridge-host';
import { findChromium } from './chromium';
import { electronBinary, launchElectron } from './electron-host';

export type GanvasTarget = 'chromium-bridge' | 'electron';
export interface GanvasFixtureOptions {
  ganvasTarget: GanvasTarget;
}

/** Per-test options: `test.use({ computeWindow: true })` gives the engine compute windows (WebGPU). */
export interface GanvasTestOptions {
  computeWindow: boolean;
}

export interface RunningApp {
  page: Page;
  /** Makes the next native save dialogs answer `file` (null: as if cancelled). */
  answerSaveDialog(file: string | null): Promise<void>;
  /** Makes main's confirmation of a typed path (new project folder, image folder) answer yes or no. */
  answerConfirm(yes: boolean): Promise<void>;
  /** The files "Show in folder" asked the file manager to show, in order. */
  shownInFolder(): Promise<string[]>;
  /** The compute windows open now (with `computeWindow`); a spec closes one to act out losing it. */
  computeWindows(): Page[];
  /** The calls sent to compute windows so far ('draw', 'forward', …); null where the target cannot see them (Electron). */
  computeCalls(): string[] | null;
  close(): Promise<void>;
}

export interface GanvasApp {
  readonly page: Page;
  /** A scratch folder for project folders and datasets, removed after the test. */
  readonly workDir: string;
  /** Quits and starts the app again on the same state folder (recent projects etc.). */
  restart(): Promise<void>;
  /** Makes the native save dialog answer `file` (null: cancelled) until told otherwise. */
  answerSaveDialog(file: string | null): Promise<void>;
  /** Makes main's confirmation of a typed path answer yes (default) or no. */
  answerConfirm(yes: boolean): Promise<void>;
  /** The files "Show in folder" asked the file manager to show, in order. */
  shownInFolder(): Promise<string[]>;
  /** The compute windows open now (with `computeWindow`); a spec closes one to act out losing it. */
  computeWindows(): Page[];
  /** The calls sent to compute windows so far ('draw', 'forward', …); null where the target cannot see them (Electron). */
  computeCalls(): string[] | null;
  /** Saves a screenshot to test-results/screenshots/<target>/<name>.png for reviewers. */
  screenshot(name: string): Promise<void>;
}

const noElectronMessage =
  'No Electron binary on this machine: set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron 41 (its npm download is blocked here); the chromium-bridge project runs the same specs.';
let warnedNoElectron = false;

export const test = base.extend<{ app: GanvasApp } & GanvasTestOptions, GanvasFixtureOptions & { chromiumPath: string | null }>({
  ganvasTarget: ['chromium-bridge', { option: true, scope: 'worker' }],
  computeWindow: [false, { option: true }],
  // Found once per worker, before any test starts an engine: without a Chromium every test fails
  // at once with the same one-line install instruction.
  chromiumPath: [async ({ ganvasTarget }, use) => use(ganvasTarget === 'chromium-bridge' ? findChromium() : null), { scope: 'worker' }],

  app: async ({ ganvasTarget, chromiumPath, computeWindow }, use, testInfo) => {
    const electronPath = ganvasTarget === 'electron' ? electronBinary() : null;
    if (ganvasTarget === 'electron' && !electronPath) {
      if (!warnedNoElectron) console.warn(`[electron] skipped: ${noElectronMessage}`);
      warnedNoElectron = true;
      testInfo.skip(true, noElectronMessage);
    }
    const workDir = mkdtempSync(join(tmpdir(), 'ganvas-e2e-'));
    const stateDir = join(workDir, 'state');
    mkdirSync(stateDir);
    const launch = () =>
      electronPath ? launchElectron(electronPath, stateDir) : launchChromiumBridge(chromiumPath!, stateDir, { computeWindow });
    const pageErrors: string[] = [];
    let running = await launch();
    const watch = (page: Page) => page.on('pageerror', (error) => pageErrors.push(error.message));
    watch(running.page);

    await use({
      get page() {
        return running.page;
      },
      workDir,
      async restart() {
        await running.close();
        running = await launch();
        watch(running.page);
      },
      answerSaveDialog: (file) => running.answerSaveDialog(file),
      answerConfirm: (yes) => running.answerConfirm(yes),
      shownInFolder: () => running.shownInFolder(),
      computeWindows: () => running.computeWindows(),
      computeCalls: () => running.computeCalls(),
      async screenshot(name) {
        await running.page.screenshot({ path: join('test-results', 'screenshots', ganvasTarget, `${name}.png`) });
      },
    });

    await running.close();
    rmSync(workDir, { recursive: true, force: true });
    expect(pageErrors, 'uncaught errors in the renderer').toEqual([]);
  },
});

export { expect };
