import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_PORT_CHANNEL } from '../../src-main/shared/compute-port';

/** A BrowserWindow and MessageChannelMain stand-in: records options, events and messages. */
const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void;
  const on = (map: Map<string, Listener>) => (event: string, listener: Listener) => map.set(event, listener);
  class FakeWindow {
    static created: FakeWindow[] = [];
    events = new Map<string, Listener>();
    contentsEvents = new Map<string, Listener>();
    destroyed = false;
    loaded = '';
    posted: { channel: string; ports: unknown[] }[] = [];
    on = on(this.events);
    webContents = {
      on: on(this.contentsEvents),
      postMessage: (channel: string, _message: unknown, ports: unknown[]) => this.posted.push({ channel, ports }),
    };
    constructor(readonly options: { show: boolean; webPreferences: Record<string, unknown> }) {
      FakeWindow.created.push(this);
    }
    loadURL = async (url: string) => void (this.loaded = url);
    isDestroyed = () => this.destroyed;
    destroy = () => void (this.destroyed = true);
  }
  class FakePort {
    events = new Map<string, Listener>();
    sent: unknown[] = [];
    on = on(this.events);
    start = vi.fn();
    close = vi.fn();
    postMessage = (message: unknown) => this.sent.push(message);
  }
  class MessageChannelMain {
    static last: MessageChannelMain;
    port1 = new FakePort();
    port2 = new FakePort();
    constructor() {
      MessageChannelMain.last = this;
    }
  }
  return { BrowserWindow: FakeWindow, MessageChannelMain };
});
vi.mock('electron', () => electron);

const { computeWindows } = await import('../../src-main/electron/compute-window');
const paths = { preload: '/app/out/preload/compute-preload.cjs', url: 'app://ganvas/compute.html' };

beforeEach(() => {
  electron.BrowserWindow.created = [];
});

describe('Electron compute windows', () => {
  it('should open a hidden, sandboxed, Node-less window on the app origin and hand its page a port', async () => {
    await computeWindows(paths).open();
    const [window] = electron.BrowserWindow.created;
    expect(window.options.show).toBe(false);
    expect(window.options.webPreferences).toMatchObject({
      preload: paths.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      backgroundThrottling: false,
    });
    expect(window.loaded).toBe('app://ganvas/compute.html');
    expect(window.posted).toEqual([{ channel: DEVICE_PORT_CHANNEL, ports: [electron.MessageChannelMain.last.port2] }]);
    expect(electron.MessageChannelMain.last.port1.start).toHaveBeenCalled();
  });

  it('should relay calls and replies over the port', async () => {
    const link = await computeWindows(paths).open();
    const port = electron.MessageChannelMain.last.port1;
    const replies: unknown[] = [];
    link.onReply((reply) => replies.push(reply));
    link.send({ id: 1, call: { op: 'probe' } });
    expect(port.sent).toEqual([{ id: 1, call: { op: 'probe' } }]);
    port.events.get('message')!({ data: { id: 1, result: 'ok' } });
    expect(replies).toEqual([{ id: 1, result: 'ok' }]);
  });

  it('should report a window that closes, crashes or hangs by itself, once, and not one the engine closes', async () => {
    const windows = computeWindows(paths);
    const whys: string[] = [];
    for (const event of ['closed', 'render-process-gone', 'unresponsive']) {
      const link = await windows.open();
      link.onClose((why) => whys.push(why));
      const window = electron.BrowserWindow.created.at(-1)!;
      if (event === 'render-process-gone') window.contentsEvents.get(event)!({}, { reason: 'crashed' });
      else window.events.get(event)!();
      window.events.get('closed')!(); // a second event for the same window says nothing more
      expect(window.destroyed).toBe(true);
    }
    expect(whys).toEqual([
      'the compute window was closed',
      "the compute window's process ended (crashed)",
      'the compute window stopped responding',
    ]);
    const quiet = await windows.open();
    quiet.onClose((why) => whys.push(why));
    quiet.close();
    electron.BrowserWindow.created.at(-1)!.events.get('closed')!();
    expect(whys).toHaveLength(3);
  });

  it('should close every compute window when the app window goes', async () => {
    const windows = computeWindows(paths);
    await windows.open();
    await windows.open();
    windows.closeAll();
    expect(electron.BrowserWindow.created.every((w) => w.destroyed)).toBe(true);
  });
});
