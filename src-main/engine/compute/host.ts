/**
 * The engine's side of a compute host: typed requests and replies, events, cancellation and
 * shutdown, over any channel (channels.ts: a forked Node process, the CLI's own process, or an
 * Electron utility process that the desktop shell provides).
 */
import type { ApiArgs, ApiOutput, Emit, WorkerMethod } from '../../shared/contract';
import { cancelled, GanvasError } from '../../shared/errors';
import type { ChildMessage, HostReply, HostRequest, ParentMessage } from './protocol';

/** A way to reach a compute host's ComputeWorker. */
export interface HostChannel {
  send(message: ParentMessage): void;
  onMessage(listener: (message: ChildMessage) => void): void;
  /** Called once when the host has gone, with why (for the error of any pending request). */
  onExit(listener: (why: string) => void): void;
  /** Ends the host now. */
  kill(): void;
  /** Lets the host finish what it is doing and exit by itself (a stopping run writes its checkpoint). */
  disconnect(): void;
}

export type ChannelFactory = () => HostChannel;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class ComputeHost {
  private readonly channel: HostChannel;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private exitHandlers: ((why: string) => void)[] = [];
  exited = false;

  constructor(open: ChannelFactory, onEvent: Emit) {
    this.channel = open();
    this.channel.onMessage((msg) => {
      if ('event' in msg) return onEvent(msg.event, msg.payload as never);
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if ('error' in msg) p.reject(new GanvasError(msg.code, msg.error, msg.field, msg.reason));
      else p.resolve(msg.result);
    });
    this.channel.onExit((why) => {
      this.exited = true;
      const error = new GanvasError('internal', why);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const h of this.exitHandlers) h(why);
    });
  }

  onExit(handler: (why: string) => void): void {
    this.exitHandlers.push(handler);
  }

  /** Sends a request; aborting `signal` asks the host to cancel it (the reply is then a 'cancelled' error). */
  request<R extends HostRequest>(request: R, signal?: AbortSignal): Promise<HostReply<R>> {
    if (this.exited) return Promise.reject(new GanvasError('internal', 'The compute process is not running'));
    // An 'abort' listener added to an already-aborted signal never fires: refuse here, or the task would run to its end.
    if (signal?.aborted) return Promise.reject(cancelled());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.channel.send({ id, request });
      signal?.addEventListener('abort', () => this.pending.has(id) && this.channel.send({ cancel: id }), { once: true });
    });
  }

  /** Runs a contract task in the host, typed end to end. */
  task<K extends WorkerMethod>(name: K, args: ApiArgs<K>, signal?: AbortSignal): Promise<ApiOutput<K>> {
    return this.request({ kind: 'task', name, args }, signal) as Promise<ApiOutput<K>>;
  }

  /** Ends the host; `graceMs` lets a stopping run finish its checkpoint first. */
  async close(graceMs = 0): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.onExit(() => resolve()));
    if (graceMs > 0) {
      this.channel.disconnect();
      const timer = setTimeout(() => this.channel.kill(), graceMs);
      await done;
      clearTimeout(timer);
    } else {
      this.channel.kill();
      await done;
    }
  }
}
