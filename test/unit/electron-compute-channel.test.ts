import { describe, expect, it, vi } from 'vitest';
import type { ChildMessage, ParentMessage } from '../../src-main/engine/compute/protocol';

/** Electron's UtilityProcess as far as the channel uses it: an emitter with postMessage, kill and pid. */
const electron = vi.hoisted(() => {
  const children: FakeUtilityProcess[] = [];
  class FakeUtilityProcess {
    readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
    readonly posted: unknown[] = [];
    pid: number | undefined = undefined;
    kills = 0;
    constructor(
      readonly modulePath: string,
      readonly args: string[],
      readonly options: Record<string, unknown>,
    ) {}
    on(event: string, listener: (...args: unknown[]) => void) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: (...args: unknown[]) => void) {
      const wrapped = (...args: unknown[]) => {
        this.listeners.set(
          event,
          (this.listeners.get(event) ?? []).filter((l) => l !== wrapped),
        );
        listener(...args);
      };
      return this.on(event, wrapped);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
    postMessage(message: unknown) {
      this.posted.push(message);
    }
    /** Like Electron: nothing to kill until the process has spawned (no pid yet). */
    kill() {
      if (this.pid === undefined) return false;
      this.kills++;
      return true;
    }
    spawn() {
      this.pid = 4242;
      this.emit('spawn');
    }
    exit(code: number) {
      this.pid = undefined;
      this.emit('exit', code);
    }
  }
  return {
    children,
    utilityProcess: {
      fork: vi.fn((modulePath: string, args: string[], options: Record<string, unknown>) => {
        const child = new FakeUtilityProcess(modulePath, args, options);
        children.push(child);
        return child;
      }),
    },
  };
});
vi.mock('electron', () => electron);

const { COMPUTE_SERVICE_NAME, computeEnv, utilityChannel } = await import('../../src-main/electron/compute-channel');
const { ComputeHost } = await import('../../src-main/engine/compute/host');

const open = () => {
  const channel = utilityChannel();
  return { channel, child: electron.children.at(-1)! };
};

describe('the utility-process compute channel', () => {
  it('forks the compute worker entry as a named utility process, without RunAsNode', () => {
    process.env.NODE_OPTIONS = '--require /tmp/evil.js';
    const { child } = open();
    delete process.env.NODE_OPTIONS;
    expect(child.modulePath).toMatch(/worker-entry\.(ts|js)$/);
    expect(child.options.serviceName).toBe(COMPUTE_SERVICE_NAME);
    expect(child.options.stdio).toEqual(['ignore', 'inherit', 'inherit']);
    const env = child.options.env as Record<string, string>;
    expect(env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
    expect(env).not.toHaveProperty('NODE_OPTIONS');
    expect(env.PATH).toBe(process.env.PATH);
  });

  it('passes the environment on, less NODE_OPTIONS and ELECTRON_RUN_AS_NODE', () => {
    expect(computeEnv({ A: '1', NODE_OPTIONS: '--inspect', ELECTRON_RUN_AS_NODE: '1', B: undefined })).toEqual({ A: '1' });
  });

  it('relays messages both ways, typed arrays included', () => {
    const { channel, child } = open();
    const received: ChildMessage[] = [];
    channel.onMessage((message) => received.push(message));
    const request: ParentMessage = { id: 1, request: { kind: 'control', action: 'pause' } };
    channel.send(request);
    expect(child.posted).toEqual([request]);
    const grid = new Uint8Array([1, 2, 3]);
    child.emit('message', { id: 1, result: { grid } });
    child.emit('message', { event: 'training.status', payload: { dir: '/p', state: 'running' } });
    expect(received).toEqual([
      { id: 1, result: { grid } },
      { event: 'training.status', payload: { dir: '/p', state: 'running' } },
    ]);
    expect((received[0] as { result: { grid: Uint8Array } }).result.grid).toBe(grid);
  });

  it('reports an exit once, with the exit code as the reason', () => {
    const { channel, child } = open();
    const reasons: string[] = [];
    channel.onExit((why) => reasons.push(why));
    child.spawn();
    child.exit(3);
    child.exit(3);
    expect(reasons).toEqual(['The compute process exited with code 3']);
    channel.send({ cancel: 1 });
    expect(child.posted).toEqual([]);
  });

  it('names a V8 fatal error in the reason', () => {
    const { channel, child } = open();
    const reasons: string[] = [];
    channel.onExit((why) => reasons.push(why));
    child.spawn();
    child.emit('error', 'FatalError', 'v8::ToLocalChecked');
    child.exit(133);
    expect(reasons).toEqual(['The compute process crashed (FatalError at v8::ToLocalChecked)']);
  });

  it('kills a running process, and says it was stopped rather than naming the normal-exit code', () => {
    const { channel, child } = open();
    const reasons: string[] = [];
    channel.onExit((why) => reasons.push(why));
    child.spawn();
    channel.kill();
    expect(child.kills).toBe(1);
    child.exit(0);
    expect(reasons).toEqual(['The compute process was stopped']);
  });

  it('kills a process asked to stop before it had spawned, as soon as it spawns', () => {
    const { channel, child } = open();
    channel.kill();
    expect(child.kills).toBe(0);
    child.spawn();
    expect(child.kills).toBe(1);
  });

  it('lets ComputeHost reject pending requests with the reason when the process dies', async () => {
    const host = new ComputeHost(utilityChannel, () => {});
    const child = electron.children.at(-1)!;
    child.spawn();
    const pending = host.request({ kind: 'control', action: 'stop' });
    expect(child.posted).toEqual([{ id: 1, request: { kind: 'control', action: 'stop' } }]);
    child.exit(9);
    await expect(pending).rejects.toThrow('The compute process exited with code 9');
    expect(host.exited).toBe(true);
  });

  it('answers ComputeHost requests and closes by killing the process', async () => {
    const host = new ComputeHost(utilityChannel, () => {});
    const child = electron.children.at(-1)!;
    child.spawn();
    const answer = host.request({ kind: 'control', action: 'pause' });
    child.emit('message', { id: 1, result: null });
    await expect(answer).resolves.toBeNull();
    const closed = host.close();
    expect(child.kills).toBe(1);
    child.exit(0);
    await closed;
    expect(host.exited).toBe(true);
  });
});
