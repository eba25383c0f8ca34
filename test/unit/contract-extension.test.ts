/**
 * A new capability is one contract declaration plus one handler: this test declares a method of
 * its own in a few lines and reaches it through every door the app has — the CLI adapter, the
 * Electron IPC adapter (Electron mocked) and the preload/e2e bridge — with validation on the way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiMethods, channels } from '../../src-main/shared/contract';
import { text } from '../../src-main/shared/contract/common';
import { onEngine } from '../../src-main/shared/contract/method';
import { fromWire } from '../../src-main/shared/errors';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  return {
    handlers,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, payload: unknown) => Promise<unknown>) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
      on: () => undefined,
      removeListener: () => undefined,
    },
    dialog: {},
    BrowserWindow: { fromWebContents: () => null, getAllWindows: () => [] },
  };
});
vi.mock('electron', () => electron);

const { createEngine } = await import('../../src-main/engine/api/engine-api');
const { setupIpc } = await import('../../src-main/electron/ipc');
const { rendererOrigin } = await import('../../src-main/electron/trusted-sender');
const { buildBridge } = await import('../../src-main/shared/bridge');
const { runCli } = await import('../../src-main/cli/main');
const { Session } = await import('../../src-main/cli/session');

// The whole new capability: a declaration and a handler.
const shoutContract = { shout: onEngine<string>()(z.object({ text: text(40).pipe(z.string().min(1, 'say something')) })) };
const extension = { contract: shoutContract, handlers: { shout: async ({ text: t }: { text: string }) => `${t.toUpperCase()}!` } };

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganvas-extension-'));
const engine = createEngine({ stateDir, channel: 'in-process', extension });
const names = [...apiMethods, 'shout'];
afterAll(() => engine.dispose());

describe('a contract method added in a test', () => {
  it('should be reached from the CLI adapter, with a refused value named by its flag', async () => {
    const shout = {
      name: 'shout',
      summary: 'shouts',
      usage: 'shout --text TEXT',
      options: { text: { type: 'string' as const } },
      run: async ({ values }: { values: Record<string, unknown> }, session: InstanceType<typeof Session>) => {
        console.log(await session.callAny('shout', { text: values.text }, { text: 'text' }));
      },
    };
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await runCli(['shout', '--text', 'hello'], { commands: [shout], session: new Session(() => engine) })).toBe(0);
    expect(log).toHaveBeenCalledWith('HELLO!');
    expect(await runCli(['shout', '--text', ''], { commands: [shout], session: new Session(() => engine) })).toBe(2);
    expect(error.mock.calls[0][0]).toBe('ganvas shout: --text: say something');
    log.mockRestore();
    error.mockRestore();
  });

  it('should be reached through the Electron IPC adapter, and its payload validated there', async () => {
    const origin = rendererOrigin();
    const stop = setupIpc({ engine, rendererOrigin: origin, methods: names });
    const handler = electron.handlers.get(channels.invoke('shout' as never))!;
    const event = { sender: {}, senderFrame: { url: origin } };
    expect(await handler(event, { text: 'ipc' })).toBe('IPC!');
    const refused = await handler(event, { text: 'x'.repeat(41) }).catch((e: unknown) => fromWire(e));
    expect(refused).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^Invalid shout request: text: at most 40 characters/) });
    stop();
  });

  it('should be a method of the bridge the renderer gets', async () => {
    const bridge = buildBridge((name, payload) => engine.call(name, payload), () => () => {}, names) as unknown as Record<string, (p: unknown) => Promise<unknown>>;
    expect(await bridge.shout({ text: 'bridge' })).toBe('BRIDGE!');
    const error = await bridge.shout({}).then(
      () => null,
      (e: unknown) => fromWire(e),
    );
    expect(error?.code).toBe('invalid');
  });
});
