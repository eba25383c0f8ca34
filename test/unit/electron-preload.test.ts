import { beforeAll, describe, expect, it, vi } from 'vitest';
import { apiMethods, channels, type GanvasBridge } from '../../src-main/shared/contract';
import { isShellMethod } from '../../src-main/shared/shell-methods';

/**
 * electron mocked in both processes, wired together the way Electron does it: ipcRenderer.invoke
 * reaches the ipcMain handler, and a thrown error comes back as
 * "Error invoking remote method '<channel>': <err.toString()>".
 */
const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
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
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })), showSaveDialog: vi.fn() },
    BrowserWindow: { fromWebContents: () => window, getAllWindows: () => [window] },
  };
});
vi.mock('electron', () => electron);

let ganvas: GanvasBridge;
const emitters = new Map<string, (payload: unknown) => void>();

beforeAll(async () => {
  const { setupIpc } = await import('../../src-main/electron/ipc');
  const api = Object.fromEntries(
    apiMethods.filter((name) => !isShellMethod(name)).map((name) => [name, async (input: unknown) => ({ engine: name, input })]),
  );
  api.openProject = async () => {
    throw new Error('/nowhere is not a Ganvas project (no project.json)');
  };
  const on = (event: string, listener: (payload: unknown) => void) => {
    emitters.set(event, listener);
    return () => emitters.delete(event);
  };
  setupIpc({ engine: { api, on } as never, rendererOrigin: 'app://ganvas' });
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

  it('rejects an invalid payload with the readable message only', async () => {
    const error = await ganvas.metrics({ dir: '' }).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Invalid metrics request: dir: a project folder is required');
  });

  it('strips the IPC prefix from engine errors too', async () => {
    await expect(ganvas.openProject({ dir: '/nowhere' })).rejects.toThrow(/^\/nowhere is not a Ganvas project/);
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
  });
});
