import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** A web contents that records its handlers, so a test can fire Electron's events at them. */
const electron = vi.hoisted(() => {
  // No window-state.json there: the window opens with the default bounds (and never saves, 'close' is not fired).
  const userData = '/nonexistent/ganvas-user-data';
  const makeContents = () => {
    const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
    return {
      listeners,
      windowOpenHandler: null as null | ((details: { url: string }) => { action: string }),
      setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
        this.windowOpenHandler = handler;
      },
      on(event: string, listener: (...args: unknown[]) => void) {
        listeners.set(event, [...(listeners.get(event) ?? []), listener]);
        return this;
      },
      /** Fires `event` with an Electron-like event object; true when a listener prevented it. */
      fire(event: string, details: Record<string, unknown> = {}) {
        let prevented = false;
        const eventObject = { ...details, preventDefault: () => (prevented = true) };
        for (const listener of listeners.get(event) ?? []) listener(eventObject, details.url);
        return prevented;
      },
    };
  };
  const windows: { options: Record<string, unknown>; loaded: string[] }[] = [];
  class BrowserWindow {
    options: Record<string, unknown>;
    loaded: string[] = [];
    webContents = makeContents();
    constructor(options: Record<string, unknown>) {
      this.options = options;
      windows.push(this);
    }
    maximize() {}
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  return {
    makeContents,
    windows,
    BrowserWindow,
    appListeners,
    app: {
      getPath: () => userData,
      on: (event: string, listener: (...args: unknown[]) => void) => appListeners.set(event, listener),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
});
vi.mock('electron', () => electron);

const { createMainWindow } = await import('../../src-main/electron/window');
const { denyAllPermissions, hardenWebContents, isAllowedNavigation, setupWebContentsHardening } =
  await import('../../src-main/electron/security');

const entry = 'app://ganvas/index.html';

describe('the main window', () => {
  it('runs the renderer isolated, sandboxed, without Node, with web security on', () => {
    const window = createMainWindow({ preload: '/app/out/preload/index.cjs', entryUrl: entry }) as unknown as {
      options: { webPreferences: Record<string, unknown> };
      loaded: string[];
    };
    const prefs = window.options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
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
    });
    expect(prefs.disableBlinkFeatures).toContain('Auxclick');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('loads the app:// entry, or the dev server it is given, never a file:// URL', () => {
    const built = createMainWindow({ preload: '/p.cjs', entryUrl: entry }) as unknown as { loaded: string[] };
    expect(built.loaded).toEqual(['app://ganvas/index.html']);
    const dev = createMainWindow({ preload: '/p.cjs', entryUrl: 'http://localhost:5173/' }) as unknown as { loaded: string[] };
    expect(dev.loaded).toEqual(['http://localhost:5173/']);
  });
});

describe('permissions', () => {
  it('denies every permission request, check and device access', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() };
    denyAllPermissions(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0][0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0][0] as (c: unknown, p: string) => boolean;
    const device = session.setDevicePermissionHandler.mock.calls[0][0] as (d: unknown) => boolean;
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'fileSystem',
      'fullscreen',
      'unknown',
    ]) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(check({}, permission)).toBe(false);
    }
    expect(device({ deviceType: 'usb', origin: 'app://ganvas' })).toBe(false);
  });
});

describe('navigation, new windows and webviews', () => {
  it('allows a page to reload itself or change its hash route, and nothing else', () => {
    expect(isAllowedNavigation('app://ganvas/index.html', entry)).toBe(true);
    expect(isAllowedNavigation('app://ganvas/index.html#/project', entry)).toBe(true);
    for (const url of [
      'app://ganvas/other.html',
      'app://ganvas/assets/index-abc.js',
      'app://evil/index.html',
      'https://evil.example/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'javascript:alert(1)',
      'about:blank',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url, entry), url).toBe(false);
    }
    expect(isAllowedNavigation('http://localhost:5173/', 'http://localhost:5173/')).toBe(true);
  });

  it('refuses navigation of the main frame and of iframes, redirects, window.open and <webview>', () => {
    const contents = electron.makeContents();
    hardenWebContents(contents as never, entry);
    expect(contents.fire('will-navigate', { url: 'https://evil.example/' })).toBe(true);
    expect(contents.fire('will-navigate', { url: 'app://ganvas/index.html#/train' })).toBe(false);
    expect(contents.fire('will-frame-navigate', { url: 'file:///etc/passwd', isMainFrame: false })).toBe(true);
    expect(contents.fire('will-redirect', { url: 'https://evil.example/' })).toBe(true);
    expect(contents.fire('will-attach-webview', {})).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://ganvas/index.html' })).toEqual({ action: 'deny' });
  });

  it('hardens every web contents the app creates', () => {
    const app = { on: vi.fn() };
    setupWebContentsHardening(app as never, entry);
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    const contents = electron.makeContents();
    (app.on.mock.calls[0][1] as (event: unknown, contents: unknown) => void)({}, contents);
    expect(contents.fire('will-navigate', { url: 'https://evil.example/' })).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('the main process entry', () => {
  it('registers app://, turns on the sandbox and hardening before ready, then serves, denies and uses utility processes', async () => {
    vi.resetModules();
    const order: string[] = [];
    let ready: () => void = () => {};
    const whenReady = new Promise<void>((resolve) => (ready = resolve));
    const defaultSession = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    const createEngine = vi.fn(() => ({ api: { recentProjects: async () => [] }, on: () => () => {}, dispose: async () => {} }));
    class PathGrants {
      grantFolder() {}
    }
    vi.doMock('../../src-main/engine/api/engine-api', () => ({ createEngine, PathGrants }));
    vi.doMock('electron', () => ({
      ...electron,
      app: {
        isPackaged: true,
        getPath: () => fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-main-')),
        setPath: vi.fn(),
        enableSandbox: vi.fn(() => order.push('enableSandbox')),
        requestSingleInstanceLock: () => true,
        whenReady: () => whenReady.then(() => order.push('ready')),
        on: vi.fn((event: string) => order.push(`app.on ${event}`)),
        quit: vi.fn(),
        exit: vi.fn(),
      },
      protocol: {
        registerSchemesAsPrivileged: vi.fn(() => order.push('registerSchemesAsPrivileged')),
        handle: vi.fn((scheme: string) => order.push(`handle ${scheme}`)),
      },
      session: { defaultSession },
      ipcMain: { handle: vi.fn(), removeHandler: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
      Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn() },
      utilityProcess: { fork: vi.fn() },
    }));
    await import('../../src-main/electron/main');
    const beforeReady = [...order];
    expect(beforeReady).toEqual(expect.arrayContaining(['registerSchemesAsPrivileged', 'enableSandbox', 'app.on web-contents-created']));
    expect(beforeReady).not.toContain('ready');
    ready();
    await vi.waitFor(() => expect(createEngine).toHaveBeenCalled());
    expect(order.indexOf('handle app')).toBeGreaterThan(order.indexOf('ready'));
    expect(defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    const { utilityChannel } = await import('../../src-main/electron/compute-channel');
    expect(createEngine).toHaveBeenCalledWith(expect.objectContaining({ channel: utilityChannel, guard: expect.any(PathGrants) }));
    const window = electron.windows.at(-1) as unknown as { loaded: string[] };
    expect(window.loaded).toEqual(['app://ganvas/index.html']);
    vi.doUnmock('../../src-main/engine/api/engine-api');
    vi.doUnmock('electron');
  });
});
