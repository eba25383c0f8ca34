/**
 * ComputeHost over the in-process channel (what the CLI uses): replies matched to requests,
 * events relayed, errors keep their code, cancelling by AbortSignal, and closing. The task table
 * is replaced by a few plain tasks, so this tests the plumbing, not tfjs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Emit } from '../../src-main/shared/contract';
import { notFound, type GanvasError } from '../../src-main/shared/errors';
import { throwIfCancelled, yieldToLoop, type TaskContext } from '../../src-main/engine/handler-types';

/** What the fake tasks saw, for the assertions. */
const seen = vi.hoisted(() => ({ aborted: [] as string[], finished: [] as string[] }));

vi.mock('../../src-main/engine/compute/tasks', () => ({
  runTask: async (name: string, args: Record<string, unknown>, ctx: TaskContext): Promise<unknown> => {
    switch (name) {
      case 'echo':
        ctx.emit('import.progress', { done: 1, total: 2 });
        return { args, backend: ctx.backend.active };
      case 'missing':
        throw notFound('There is no checkpoint at step 7');
      case 'crash':
        throw new TypeError('x is undefined');
      case 'slow': {
        // Works in chunks, as the real long tasks do; gives up (without an error) after `chunks`.
        const label = String(args.label);
        try {
          for (let i = 0; i < Number(args.chunks ?? 200); i++) {
            throwIfCancelled(ctx.signal, `${label} cancelled`);
            await yieldToLoop();
          }
        } catch (error) {
          seen.aborted.push(label);
          throw error;
        }
        seen.finished.push(label);
        return `${label} finished`;
      }
      default:
        throw new Error(`Unknown task ${name}`);
    }
  },
}));

const { ComputeHost } = await import('../../src-main/engine/compute/host');
const { inProcessChannel } = await import('../../src-main/engine/compute/channels');

type AnyTask = (name: string, args: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>;

function openHost() {
  const events: [string, unknown][] = [];
  const onEvent: Emit = (event, payload) => events.push([event, payload]);
  const host = new ComputeHost(inProcessChannel, onEvent);
  const task = host.task.bind(host) as unknown as AnyTask;
  return { host, task, events };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ resolved: value }),
    (error: GanvasError) => ({ code: error.code, message: error.message }),
  );

const hosts: InstanceType<typeof ComputeHost>[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
  seen.aborted.length = 0;
  seen.finished.length = 0;
});

describe('ComputeHost over inProcessChannel', () => {
  it('should answer a task with its result and relay its events', async () => {
    const { host, task, events } = openHost();
    hosts.push(host);
    const result = (await task('echo', { dir: '/p', n: 3 })) as { args: unknown; backend: string };
    expect(result.args).toEqual({ dir: '/p', n: 3 });
    expect(typeof result.backend).toBe('string'); // the host picked a backend before its first task
    expect(events).toEqual([['import.progress', { done: 1, total: 2 }]]);
  });

  it('should match replies to their requests when several run at once', async () => {
    const { host, task } = openHost();
    hosts.push(host);
    const [long, short] = await Promise.all([task('slow', { label: 'long', chunks: 40 }), task('slow', { label: 'short', chunks: 2 })]);
    expect([long, short]).toEqual(['long finished', 'short finished']);
    expect(seen.finished).toEqual(['short', 'long']);
  });

  it("should keep a task error's code, and call an unexpected one internal", async () => {
    const { host, task } = openHost();
    hosts.push(host);
    expect(await failure(task('missing', {}))).toEqual({ code: 'not-found', message: 'There is no checkpoint at step 7' });
    expect(await failure(task('crash', {}))).toEqual({ code: 'internal', message: 'x is undefined' });
    // The host is still serving after its tasks failed.
    expect(await task('slow', { label: 'after', chunks: 1 })).toBe('after finished');
  });

  it("should cancel a running task when its AbortSignal is aborted, with the code 'cancelled', leaving the others running", async () => {
    const { host, task } = openHost();
    hosts.push(host);
    const controller = new AbortController();
    const running = failure(task('slow', { label: 'export', chunks: 100_000 }, controller.signal));
    const other = task('slow', { label: 'other', chunks: 30 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await running).toEqual({ code: 'cancelled', message: 'export cancelled' });
    expect(seen.aborted).toEqual(['export']);
    expect(await other).toBe('other finished');
  });

  it('should not run a task whose signal was aborted before it was sent', async () => {
    const { host, task } = openHost();
    hosts.push(host);
    const controller = new AbortController();
    controller.abort();
    expect(await failure(task('slow', { label: 'late', chunks: 50 }, controller.signal))).toMatchObject({ code: 'cancelled' });
    expect(seen.finished).not.toContain('late');
  });

  it('should reject what is pending when closed, stop its tasks, and refuse new requests', async () => {
    const { host, task, events } = openHost();
    const pending = failure(task('slow', { label: 'pending', chunks: 100_000 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const exits: string[] = [];
    host.onExit((why) => exits.push(why));
    await host.close();
    expect(host.exited).toBe(true);
    expect(exits).toHaveLength(1);
    expect(await pending).toEqual({ code: 'internal', message: 'The compute host was closed' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.aborted).toEqual(['pending']); // the task saw its signal: nothing keeps running unseen
    expect(await failure(task('echo', {}))).toEqual({ code: 'internal', message: 'The compute process is not running' });
    expect(events).toEqual([]);
    await host.close(); // closing twice is harmless
  });

  it('should let a closing host finish its work when given a grace period', async () => {
    const { host, task } = openHost();
    const pending = failure(task('slow', { label: 'graceful', chunks: 100_000 }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await host.close(5_000);
    expect(host.exited).toBe(true);
    // In one process, "finish" means the task's own stop: it is cancelled and says so before the host ends.
    expect(seen.aborted).toEqual(['graceful']);
    expect(await pending).toEqual({ code: 'cancelled', message: 'graceful cancelled' });
  });

  it('should treat each channel as its own host', async () => {
    const a = openHost();
    const b = openHost();
    hosts.push(b.host);
    await a.host.close();
    expect(await b.task('slow', { label: 'b', chunks: 1 })).toBe('b finished');
  });
});
