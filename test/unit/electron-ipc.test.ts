import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEventNames, apiMethods, channels, isShellMethod } from '../../src-main/shared/contract';
import { fromWire, invalid, notFound } from '../../src-main/shared/errors';
import { fakeEngine } from '../helpers/fake-engine';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
  const window = { isDestroyed: () => false, webContents: { send: vi.fn() } };
  return {
    handlers,
    listeners,
    window,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, handler)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
      on: vi.fn((channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.set(channel, listener)),
      removeListener: vi.fn((channel: string) => listeners.delete(channel)),
    },
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    shell: { showItemInFolder: vi.fn() },
    BrowserWindow: { fromWebContents: vi.fn(() => window), getAllWindows: vi.fn(() => [window]) },
  };
});
vi.mock('electron', () => electron);

const { setupIpc } = await import('../../src-main/electron/ipc');
const { rendererOrigin } = await import('../../src-main/electron/trusted-sender');

const origin = rendererOrigin();
const fromRenderer = { sender: {}, senderFrame: { url: `${origin}/index.html#/project` } };

const invoke = (name: string, payload: unknown, event: unknown = fromRenderer) =>
  electron.handlers.get(channels.invoke(name as never))!(event, payload);

/** What the renderer reads from a rejected call: the code and message carried by the wire form. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to be rejected');
    },
    (error: unknown) => {
      const { code, message } = fromWire(error);
      return { code, message };
    },
  );

describe('setupIpc', () => {
  let fake: ReturnType<typeof fakeEngine>;
  const afterCall = vi.fn();
  const grants = { grantFolder: vi.fn() };
  let stop: () => void;
  beforeEach(() => {
    electron.handlers.clear();
    electron.listeners.clear();
    vi.clearAllMocks();
    fake = fakeEngine({
      openProject: async () => {
        throw notFound('/p is not a Ganvas project (no project.json)');
      },
    });
    stop = setupIpc({ engine: fake.engine, rendererOrigin: origin, afterCall, grants });
  });

  it('registers one handler per contract method and nothing else', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(apiMethods.map((name) => channels.invoke(name)).sort());
  });

  it('hands each method to engine.call under its own name with the payload unchanged', async () => {
    for (const name of apiMethods) {
      fake.call.mockClear();
      const payload = { marker: name };
      await invoke(name, payload).catch(() => undefined);
      expect(fake.call).toHaveBeenCalledTimes(1);
      expect(fake.call).toHaveBeenCalledWith(name, payload, expect.any(Function));
    }
  });

  it('routes each method to the engine work of the same name, after validation', async () => {
    for (const name of apiMethods.filter((method) => !isShellMethod(method))) {
      fake.handled.mockClear();
      // An empty payload is either valid (reaches the engine's work) or refused before it.
      const result = await invoke(name, {}).catch((error: Error) => error);
      if (result instanceof Error) {
        expect(fromWire(result).message).toMatch(new RegExp(`^Invalid ${name} request: `));
        expect(fake.handled).not.toHaveBeenCalled();
      } else {
        expect(result).toEqual({ called: name, input: {} });
      }
    }
    await expect(invoke('ping', { t: 5 })).resolves.toEqual({ called: 'ping', input: { t: 5 } });
    await expect(invoke('checkpoints', { dir: '/projects/a' })).resolves.toEqual({ called: 'checkpoints', input: { dir: '/projects/a' } });
    expect(afterCall).toHaveBeenCalledWith('ping', { called: 'ping', input: { t: 5 } });
  });

  it('rejects an invalid payload with its code and a readable message before the engine works on it', async () => {
    await expect(rejection(invoke('createProject', { dir: '/p', dataset: { kind: 'folder', path: '' } }))).resolves.toEqual({
      code: 'invalid',
      message: 'Invalid createProject request: dataset.path: pick an image folder',
    });
    await expect(rejection(invoke('rollback', { dir: '/p', step: -3 }))).resolves.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^Invalid rollback request: step:/),
    });
    await expect(rejection(invoke('ping', 'not an object'))).resolves.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/^Invalid ping request/),
    });
    expect(fake.handled).not.toHaveBeenCalled();
    expect(afterCall).not.toHaveBeenCalled();
  });

  it("carries an engine error's code across IPC, and anything else as 'internal'", async () => {
    await expect(rejection(invoke('openProject', { dir: '/p' }))).resolves.toEqual({
      code: 'not-found',
      message: '/p is not a Ganvas project (no project.json)',
    });
    fake.call.mockRejectedValueOnce(new TypeError('x is undefined'));
    await expect(rejection(invoke('ping', { t: 1 }))).resolves.toEqual({ code: 'internal', message: 'x is undefined' });
    fake.call.mockRejectedValueOnce(invalid('bad'));
    // What ipcMain actually sends: an Error whose message carries the code.
    const thrown = await invoke('ping', { t: 1 }).catch((error: Error) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('[ganvas:invalid] bad');
  });

  it('refuses calls from a frame that is not the Ganvas renderer', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/other/index.html', undefined]) {
      await expect(rejection(invoke('openProject', { dir: '/p' }, { sender: {}, senderFrame: url ? { url } : null }))).resolves.toEqual({
        code: 'refused',
        message: 'Refused openProject: the request did not come from the Ganvas window.',
      });
    }
    expect(fake.call).not.toHaveBeenCalled();
  });

  it('answers chooseDirectory with the native dialog, null when cancelled', async () => {
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/me/images'] });
    await expect(invoke('chooseDirectory', { title: 'Pick' })).resolves.toBe('/home/me/images');
    expect(electron.dialog.showOpenDialog).toHaveBeenCalledWith(electron.window, expect.objectContaining({ title: 'Pick' }));
    electron.dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    await expect(invoke('chooseDirectory', {})).resolves.toBeNull();
    expect(fake.handled).not.toHaveBeenCalled(); // the shell answers it, not the engine
  });

  it('answers chooseSaveFile with the native save dialog', async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: '/home/me/walk.gif' });
    await expect(invoke('chooseSaveFile', { defaultName: 'walk.gif' })).resolves.toBe('/home/me/walk.gif');
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(electron.window, expect.objectContaining({ defaultPath: 'walk.gif' }));
  });

  it('answers showInFolder with the file manager, false for a file that is gone', async () => {
    const file = fileURLToPath(import.meta.url);
    await expect(invoke('showInFolder', { path: file })).resolves.toBe(true);
    expect(electron.shell.showItemInFolder).toHaveBeenCalledWith(file);
    await expect(invoke('showInFolder', { path: `${file}.gone` })).resolves.toBe(false);
    expect(electron.shell.showItemInFolder).toHaveBeenCalledTimes(1);
  });

  it('grants a dropped path only when our renderer sends it, and a string of sane length', () => {
    const drop = electron.listeners.get(channels.grantDrop)!;
    drop(fromRenderer, '/home/me/images');
    expect(grants.grantFolder).toHaveBeenCalledWith('/home/me/images');
    drop({ sender: {}, senderFrame: { url: 'https://evil.example/' } }, '/etc');
    drop(fromRenderer, { path: '/etc' });
    drop(fromRenderer, '/x'.repeat(3000));
    expect(grants.grantFolder).toHaveBeenCalledTimes(1);
  });

  it('removes its handlers and listeners when stopped', () => {
    stop();
    expect(electron.handlers.size).toBe(0);
    expect(electron.listeners.has(channels.grantDrop)).toBe(false);
  });

  it('forwards every engine event to the window on the event channel', () => {
    expect(fake.on).toHaveBeenCalledTimes(apiEventNames.length);
    const status = { dir: '/p', state: 'running', step: 3 };
    fake.emit('training.status', status);
    expect(electron.window.webContents.send).toHaveBeenCalledWith(channels.event, { name: 'training.status', payload: status });
  });
});
