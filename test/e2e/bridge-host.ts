/**
 * The `chromium-bridge` target: Debian's Chromium shows the built renderer, and the Node engine
 * runs in this test process behind the same `window.ganvas` the Electron preload exposes.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { createEngine, PathGrants } from '../../src-main/engine/api/engine-api';
import { EngineSwitch } from '../../src-main/remote/engine-switch';
import { KnownEngines, type TokenCipher } from '../../src-main/remote/known-engines';
import { apiEventNames, type ApiMethod } from '../../src-main/shared/contract';
import type { ApiEventEnvelope } from '../../src-main/shared/bridge';
import { toWire } from '../../src-main/shared/errors';
import { computePages } from './compute-window';
import type { RunningApp } from './fixtures';

const rendererDir = resolve('out/renderer');
// An http origin, not file://: module scripts and the CSP's 'self' behave as in a served app.
const origin = 'http://ganvas.test';
const mimeTypes: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

let bridgeScript: Promise<string> | undefined;

/** Stands in for the OS keychain (Electron's safeStorage) in the test process: reversible, not secret. */
const testKeychain: TokenCipher = {
  available: () => true,
  encrypt: (plain) => Buffer.from(Buffer.from(plain).map((b) => b ^ 0x5a)),
  decrypt: (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)).toString(),
};

/** page-bridge.ts bundled into one classic script (it imports the contract, zod included). */
function pageBridgeScript(): Promise<string> {
  bridgeScript ??= build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve('test/e2e/page-bridge.ts'), formats: ['iife'], name: 'ganvasTestBridge' },
    },
  }).then((result) => {
    const output = Array.isArray(result) ? result[0] : result;
    if (!('output' in output)) throw new Error('vite build of the page bridge returned a watcher');
    return output.output[0].code;
  });
  return bridgeScript;
}

/**
 * `executablePath`: the Chromium to drive (see chromium.ts). `computeWindow`: give the engine compute
 * windows (pages of a second, WebGPU-enabled Chromium, see compute-window.ts), as Electron's main does.
 */
export async function launchChromiumBridge(
  executablePath: string,
  stateDir: string,
  options: { computeWindow?: boolean } = {},
): Promise<RunningApp> {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  // The desktop app's path grants, with stand-ins for the native dialogs: a typed folder is
  // confirmed as a person would (unless a spec says otherwise), and a save dialog answers what the spec set.
  let confirmAnswer = true;
  let recentDirs: string[] = [];
  const grants = new PathGrants({ confirm: async () => confirmAnswer, remembered: () => recentDirs });
  const windows = options.computeWindow ? computePages(executablePath) : null;
  const local = createEngine({ stateDir, guard: grants, ...(windows && { computeWindow: windows.open }) });
  // As in Electron's main: the window drives this engine or a `ganvas serve` it connects to.
  const engine = new EngineSwitch({ local, guard: grants, known: new KnownEngines(join(stateDir, 'engines.json'), testKeychain) });
  recentDirs = (await local.api.recentProjects({})).map((r) => r.dir);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'dark' });
  await context.route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = join(rendererDir, path === '/' ? 'index.html' : decodeURIComponent(path));
    if (!file.startsWith(rendererDir)) return route.fulfill({ status: 403 });
    try {
      await route.fulfill({ body: await readFile(file), contentType: mimeTypes[extname(file)] ?? 'application/octet-stream' });
    } catch {
      await route.fulfill({ status: 404, body: `not found: ${path}` });
    }
  });
  const page = await context.newPage();
  // What the (absent) native save dialog answers: set by a spec through app.answerSaveDialog().
  let saveDialogAnswer: string | null = null;

  // The files "Show in folder" asked the (absent) file manager to show, in order.
  const shownInFolder: string[] = [];

  // Same path as Electron's ipc.ts. There are no native dialogs here: the folder picker answers
  // null, as a cancelled dialog does, the save dialog what the spec set, and the file manager records.
  await page.exposeFunction('__ganvasInvoke', (name: ApiMethod, payload: unknown) =>
    engine
      .call(name, payload, async (shellName, input) => {
        if (shellName === 'showInFolder') return shownInFolder.push((input as { path: string }).path) > 0;
        return shellName === 'chooseSaveFile' ? saveDialogAnswer : null;
      })
      .catch((error: unknown) => {
        throw toWire(error);
      }),
  );
  await page.addInitScript({ content: await pageBridgeScript() });
  const unsubscribe = apiEventNames.map((name) => engine.on(name, (payload) => void pushEvent(page, { name, payload })));

  await page.goto(`${origin}/index.html`);
  return {
    page,
    async answerSaveDialog(file) {
      saveDialogAnswer = file;
    },
    async answerConfirm(yes) {
      confirmAnswer = yes;
    },
    async shownInFolder() {
      return [...shownInFolder];
    },
    computeWindows: () => windows?.pages() ?? [],
    computeCalls: () => windows?.calls() ?? [],
    async close() {
      for (const stop of unsubscribe) stop();
      await browser.close();
      engine.close();
      await local.dispose();
      await windows?.close();
    },
  };
}

function pushEvent(page: Page, envelope: ApiEventEnvelope): Promise<void> {
  return page
    .evaluate((event) => (globalThis as { __ganvasEmit?: (e: unknown) => void }).__ganvasEmit?.(event), envelope)
    .catch(() => undefined); // the page is closing: nobody left to tell
}
