import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEventNames, apiMethods, channels, type ApiEventName } from '../../src-main/shared/contract';
import type { EngineLike } from '../../src-main/electron/ipc';
import { isShellMethod } from '../../src-main/shared/shell-methods';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const window = { isDestroyed: () => false, webContents: { send: vi.fn() } };
  return {
    handlers,
    window,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, handler)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    BrowserWindow: { fromWebContents: vi.fn(() => window), getAllWindows: vi.fn(() => [window]) },
  };
});
vi.mock('electron', () => electron);

const { setupIpc } = await import('../../src-main/electron/ipc');
const { rendererOrigin } = await import('../../src-main/electron/trusted-sender');

const origin = rendererOrigin();
const fromRenderer = { sender: {}, senderFrame: { url: `${origin}/index.html#/project` } };

function fakeEngine() {
  const listeners = new Map<ApiEventName, (payload: unknown) => void>();
  const api = Object.fromEntries(
    apiMethods.filter((name) => !isShellMethod(name)).map((name) => [name, vi.fn(async (input: unknown) => ({ called: name, input }))]),
  );
  const engine = {
    api,
    on: vi.fn((event: ApiEventName, listener: (payload: unknown) => void) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    }),
  } as unknown as EngineLike;
  return { engine, api, listeners };
}

const invoke = (name: string, payload: unknown, event: unknown = fromRenderer) =>
  electron.handlers.get(channels.invoke(name as never))!(event, payload);

describe('setupIpc', () => {
  let fake: ReturnType<typeof fakeEngine>;
  beforeEach(() => {
    electron.handlers.clear();
    vi.clearAllMocks();
    fake = fakeEngine();
    setupIpc({ engine: fake.engine, rendererOrigin: origin });
  });

  it('registers one handler per contract method and nothing else', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(apiMethods.map((name) => channels.invoke(name)).sort());
  });

  it('routes each method to the engine method of the same name, after validation', async () => {
    for (const name of apiMethods.filter((method) => !isShellMethod(method))) {
      // An empty payload is either valid (reaches the engine unchanged) or refused before it.
      const result = await invoke(name, {}).catch((error: Error) => error);
      if (result instanceof Error) {
        expect(result.message).toMatch(new RegExp(`^Invalid ${name} request: `));
        expect(fake.api[name]).not.toHaveBeenCalled();
      } else {
        expect(result).toEqual({ called: name, input: {} });
      }
    }
    await expect(invoke('ping', { t: 5 })).resolves.toEqual({ called: 'ping', input: { t: 5 } });
    await expect(invoke('openProject', { dir: '/projects/a' })).resolves.toEqual({ called: 'openProject', input: { dir: '/projects/a' } });
  });

  it('rejects an invalid payload with a readable message before the engine sees it', async () => {
    await expect(invoke('createProject', { dir: '/p', dataset: { kind: 'folder', path: '' } })).rejects.toThrow(
      'Invalid createProject request: dataset.path: pick an image folder',
    );
    await expect(invoke('rollback', { dir: '/p', step: -3 })).rejects.toThrow(/^Invalid rollback request: step:/);
    await expect(invoke('ping', 'not an object')).rejects.toThrow(/^Invalid ping request/);
    expect(fake.api.createProject).not.toHaveBeenCalled();
    expect(fake.api.rollback).not.toHaveBeenCalled();
  });

  it('refuses calls from a frame that is not the Ganvas renderer', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/other/index.html', undefined]) {
      await expect(invoke('openProject', { dir: '/p' }, { sender: {}, senderFrame: url ? { url } : null })).rejects.toThrow(
        'Refused openProject: the request did not come from the Ganvas window.',
      );
    }
    expect(fake.api.openProject).not.toHaveBeenCalled();
  });

  it('answers chooseDirectory with the native dialog, null when cancelled', async () => {
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/images'] });
    await expect(invoke('chooseDirectory', { title: 'Pick' })).resolves.toBe('/home/me/images');
    expect(electron.dialog.showOpenDialog).toHaveBeenCalledWith(electron.window, expect.objectContaining({ title: 'Pick' }));
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(invoke('chooseDirectory', {})).resolves.toBeNull();
  });

  it('answers chooseSaveFile with the native save dialog', async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/home/me/walk.gif' });
    await expect(invoke('chooseSaveFile', { defaultName: 'walk.gif' })).resolves.toBe('/home/me/walk.gif');
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(electron.window, expect.objectContaining({ defaultPath: 'walk.gif' }));
  });

  it('forwards every engine event to the window on the event channel', () => {
    expect(fake.engine.on).toHaveBeenCalledTimes(apiEventNames.length);
    const status = { dir: '/p', state: 'running', step: 3 };
    fake.listeners.get('training.status')!(status);
    expect(electron.window.webContents.send).toHaveBeenCalledWith(channels.event, { name: 'training.status', payload: status });
  });
});
