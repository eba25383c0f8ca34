import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiMethods, channels, type GanvasBridge } from '../../src-main/shared/contract';
import { fromWire, notFound, readableMessage } from '../../src-main/shared/errors';
import { fakeEngine } from '../helpers/fake-engine';

/**
 * electron mocked in both processes, wired together the way Electron does it: ipcRenderer.invoke
 * reaches the ipcMain handler, and a thrown error comes back as
 * "Error invoking remote method '<channel>': <err.toString()>".
 */
const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  const mainListeners = new Map<string, (event: unknown, payload: unknown) => void>();
  const rendererListeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const exposed: Record<string, unknown> = {};
  const frame = { url: 'app://ganvas/index.html' };
  const window = {
    isDestroyed: () => false,
    webContents: { send: (channel: string, payload: unknown) => rendererListeners.get(channel)?.forEach((l) => l({}, payload)) },
  };
  return {
    handlers,
    rendererListeners,
    exposed,
    frame,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => mainListeners.set(channel, listener),
      removeListener: (channel: string) => mainListeners.delete(channel),
    },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, payload: unknown) => {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
        try {
          return await handler({ sender: {}, senderFrame: frame }, payload);
        } catch (error) {
          throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
        }
      }),
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
        rendererListeners.get(channel)!.add(listener);
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) =>
        rendererListeners.get(channel)?.delete(listener),
      // ipcRenderer.send reaches ipcMain.on listeners, with the sending frame.
      send: (channel: string, payload: unknown) => mainListeners.get(channel)?.({ sender: {}, senderFrame: frame }, payload),
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    // Only a real dropped File has a path; one the page makes itself gives ''.
    webUtils: { getPathForFile: (file: { name: string }) => (file.name ? `/dropped/${file.name}` : '') },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })), showSaveDialog: vi.fn() },
    BrowserWindow: { fromWebContents: () => window, getAllWindows: () => [window] },
  };
});
vi.mock('electron', () => electron);

let ganvas: GanvasBridge;
const grants = { grantFolder: vi.fn() };
const emitters = new Map<string, (payload: unknown) => void>();

beforeAll(async () => {
  const { setupIpc } = await import('../../src-main/electron/ipc');
  const fake = fakeEngine({
    openProject: async () => {
      throw notFound('/nowhere is not a Ganvas project (no project.json)');
    },
  });
  fake.handled.mockImplementation((name, input) => ({ engine: name, input }) as never);
  fake.on.mockImplementation((event, listener) => {
    emitters.set(event, listener);
    return () => emitters.delete(event);
  });
  setupIpc({ engine: fake.engine, rendererOrigin: 'app://ganvas', grants });
  await import('../../src-main/electron/preload');
  ganvas = electron.exposed.ganvas as GanvasBridge;
});

describe('preload', () => {
  it('exposes one named function per contract method, plus on()', () => {
    expect(Object.keys(ganvas).sort()).toEqual([...apiMethods, 'on'].sort());
    for (const name of apiMethods) expect(typeof ganvas[name]).toBe('function');
  });

  it('sends each method on its own invoke channel', async () => {
    for (const name of apiMethods) {
      electron.ipcRenderer.invoke.mockClear();
      await ganvas[name]({} as never).catch(() => undefined);
      expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(channels.invoke(name), {});
    }
  });

  it('resolves with the engine result across the round trip', async () => {
    await expect(ganvas.ping({ t: 42 })).resolves.toEqual({ engine: 'ping', input: { t: 42 } });
    await expect(ganvas.chooseDirectory({})).resolves.toBeNull();
  });

  it('rejects an invalid payload with its code and the readable message, without the IPC prefix', async () => {
    const error = await ganvas.metrics({ dir: '' }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    // The page gets only a message through contextBridge: the code travels inside it.
    expect((error as Error).message).toBe('[ganvas:invalid] Invalid metrics request: dir: a project folder is required');
    expect(readableMessage(error)).toBe('Invalid metrics request: dir: a project folder is required');
    expect(fromWire(error).code).toBe('invalid');
  });

  it('strips the IPC prefix from engine errors too, keeping their code', async () => {
    const error = await ganvas.openProject({ dir: '/nowhere' }).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(/^\[ganvas:not-found\] \/nowhere is not a Ganvas project/);
    expect(readableMessage(error)).toMatch(/^\/nowhere is not a Ganvas project/);
    expect(fromWire(error).code).toBe('not-found');
  });

  it('delivers engine events to listeners of that event only, until unsubscribed', () => {
    const statuses: unknown[] = [];
    const samples: unknown[] = [];
    const stop = ganvas.on('training.status', (status) => statuses.push(status));
    ganvas.on('training.sample', (sample) => samples.push(sample));
    emitters.get('training.status')!({ dir: '/p', state: 'running' });
    expect(statuses).toEqual([{ dir: '/p', state: 'running' }]);
    expect(samples).toEqual([]);
    stop();
    emitters.get('training.status')!({ dir: '/p', state: 'paused' });
    expect(statuses).toHaveLength(1);
  });

  it('exposes the dropped-file path helper and nothing from Node', () => {
    expect(Object.keys(electron.exposed).sort()).toEqual(['ganvas', 'ganvasShell']);
    const shell = electron.exposed.ganvasShell as { pathForFile(file: unknown): string };
    expect(shell.pathForFile({ name: 'images' })).toBe('/dropped/images');
    // Dropping is choosing: main grants the folder; a File without a path grants nothing.
    expect(grants.grantFolder).toHaveBeenCalledWith('/dropped/images');
    expect(shell.pathForFile({ name: '' })).toBe('');
    expect(grants.grantFolder).toHaveBeenCalledTimes(1);
  });
});
