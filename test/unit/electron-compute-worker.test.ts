import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

/**
 * utilityChannel against the real compute worker entry (worker-entry.ts), in a Node child that
 * plays Electron's part: process.parentPort in the child, a UtilityProcess-shaped emitter here.
 * What this checks is the message shapes on both sides; that a real utility process starts from the
 * packaged app is for the `electron` e2e target (it needs an Electron binary).
 */
const electron = vi.hoisted(() => ({ utilityProcess: { fork: vi.fn() } }));
vi.mock('electron', () => electron);

const standIn = path.resolve('test/helpers/utility-process-stand-in.mjs');
const started: ReturnType<typeof fork>[] = [];
electron.utilityProcess.fork.mockImplementation(
  (modulePath: string, _args: string[], options: { env: NodeJS.ProcessEnv; execArgv: string[] }) => {
    const child = fork(standIn, [modulePath], {
      execArgv: options.execArgv,
      env: options.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Electron's postMessage is a structured clone; Node's 'advanced' serialization is the same algorithm.
      serialization: 'advanced',
    });
    started.push(child);
    const utility = Object.assign(new EventEmitter(), {
      pid: undefined as number | undefined,
      postMessage: (message: unknown) => child.send(message as never),
      kill: () => child.kill('SIGTERM'),
    });
    child.on('spawn', () => {
      utility.pid = child.pid;
      utility.emit('spawn');
    });
    child.on('message', (message) => utility.emit('message', message));
    child.on('exit', (code) => utility.emit('exit', code ?? 0));
    return utility;
  },
);
afterAll(() => started.forEach((child) => child.kill('SIGKILL')));

const { utilityChannel } = await import('../../src-main/electron/compute-channel');
const { ComputeHost } = await import('../../src-main/engine/compute/host');

describe('utilityChannel with the real worker entry', () => {
  it('gets answers from the worker over parentPort, and stops it with kill', async () => {
    const host = new ComputeHost(utilityChannel, () => {});
    await expect(host.request({ kind: 'control', action: 'pause' })).resolves.toBeNull();
    await expect(host.request({ kind: 'control', action: 'resume' })).resolves.toBeNull();
    const reasons: string[] = [];
    host.onExit((why) => reasons.push(why));
    await host.close();
    expect(reasons).toEqual(['The compute process was stopped']);
    await expect(host.request({ kind: 'control', action: 'pause' })).rejects.toThrow('The compute process is not running');
  });
});
